/// The OpenAPI 3.1 description of the API, served at `/api/openapi.json`. Written by hand; a test checks that its
/// paths and methods are exactly the router's and runs every operation with its example values.
enum OpenAPIDocument {
    static let text = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Glassbox",
    "version": "0.1.0",
    "description": "Run transformer language models on the CPU, record everything inside them and explain their predictions: the information-flow (contribution) graph of the LLM Transparency Tool, attention, logit lens, promoted tokens, heads and neurons, attention metrics, anomalies, ablation, comparisons and reports. Errors are {\"error\": {\"code\", \"message\", \"details\"}} with a 4xx or 5xx status. Token positions accept negative values counted from the end (-1 = the last token)."
  },
  "paths": {
    "/api/health": {
      "get": {
        "summary": "Liveness, version, loaded models and the run queue",
        "responses": {"200": {"description": "{status, version, engine, loaded_models, runs_in_progress, runs_waiting}"}}
      }
    },
    "/api/models": {
      "get": {
        "summary": "The configured models (dimensions once loaded)",
        "responses": {"200": {"description": "{default, limits: {max_prompt_tokens, max_prompt_bytes, max_report_prompts}, models: [{name, architecture, layers, heads, kv_heads, d_model, vocab_size, context_length, parameters, description, license}]}"}}
      }
    },
    "/api/openapi.json": {
      "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}
    },
    "/api/runs": {
      "post": {
        "summary": "Run a model on a prompt (cached: the same input returns the same id without recomputing)",
        "requestBody": {
          "required": true,
          "content": {"application/json": {
            "schema": {
              "type": "object",
              "required": ["prompt"],
              "additionalProperties": false,
              "properties": {
                "model": {"type": "string", "description": "a configured model name; default: the configured default"},
                "prompt": {"type": "string"},
                "options": {"type": "object", "additionalProperties": false,
                            "properties": {"top_k": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}}}
              }
            },
            "example": {"prompt": "When Mary and John went to the store, John gave a drink to", "options": {"top_k": 5}}
          }}
        },
        "responses": {
          "200": {"description": "the run summary: {id, prompt, model, tokens: [{id, text, display}], top: [{id, display, logit, probability}] (the next token after the last position; other positions: the lens of the last layer)}"},
          "400": {"description": "bad body, unknown model or key"},
          "413": {"description": "prompt too long"},
          "503": {"description": "the run queue is full (Retry-After)"}
        }
      }
    },
    "/api/runs/{id}": {
      "get": {
        "summary": "A run's summary",
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "responses": {"200": {"description": "as POST /api/runs"}, "404": {"description": "no such run"}}
      }
    },
    "/api/runs/{id}/graph": {
      "get": {
        "summary": "The contribution graph: edges (source, target, weight, kind) with LLM-TT's node names X0_t, A{l}_t, M{l}_t, I{l}_t; without target also the path-edge indices of every start token",
        "parameters": [
          {"$ref": "#/components/parameters/id"},
          {"name": "threshold", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.04}, "example": 0.04},
          {"name": "renormalize", "in": "query", "schema": {"type": "boolean", "default": true}, "example": true,
           "description": "true: threshold and renormalise the contributions, paths keep every remaining edge; false: paths keep edges above the threshold"},
          {"name": "target", "in": "query", "schema": {"type": "string"}, "example": "-1",
           "description": "a token position: only the edges on paths to its prediction; 'all': the union over every token"}
        ],
        "responses": {"200": {"description": "{tokens, layers, threshold, renormalize, path_threshold, target, edges: [{source, target, weight, kind}], paths?: [[edge index]]}"}}
      }
    },
    "/api/runs/{id}/attention": {
      "get": {
        "summary": "Attention pattern [target][source] of one head, or the mean over heads",
        "parameters": [
          {"$ref": "#/components/parameters/id"}, {"$ref": "#/components/parameters/layer"},
          {"name": "head", "in": "query", "schema": {"type": "string", "default": "all"}, "example": "0"},
          {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "f32"], "default": "json"}, "example": "json",
           "description": "f32: little-endian float32, row-major n x n"}
        ],
        "responses": {"200": {"description": "{layer, head, tokens, pattern}"}}
      }
    },
    "/api/runs/{id}/contributions": {
      "get": {
        "summary": "Contribution map [target][source] of one head or summed over heads, residual, FFN and unattributed-bias weights per token; with target and source, the per-head weights of that edge",
        "parameters": [
          {"$ref": "#/components/parameters/id"}, {"$ref": "#/components/parameters/layer"},
          {"name": "head", "in": "query", "schema": {"type": "string", "default": "all"}, "example": "all"},
          {"name": "threshold", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 1}, "example": 0.04,
           "description": "absent: raw weights; given: thresholded as the graph is"},
          {"name": "renormalize", "in": "query", "schema": {"type": "boolean", "default": true}, "example": true},
          {"name": "target", "in": "query", "schema": {"type": "integer"}},
          {"name": "source", "in": "query", "schema": {"type": "integer"}}
        ],
        "responses": {"200": {"description": "{layer, head, thresholded, tokens, map, residual, bias_l1, ffn, ffn_residual} or {layer, target, source, is_part, heads, total}"}}
      }
    },
    "/api/runs/{id}/lens": {
      "get": {
        "summary": "Logit lens of a residual-stream vector with each top token's rank in the representation before it",
        "parameters": [
          {"$ref": "#/components/parameters/id"}, {"$ref": "#/components/parameters/layer"},
          {"name": "point", "in": "query", "schema": {"type": "string", "enum": ["pre", "mid", "post"], "default": "post"}, "example": "mid"},
          {"$ref": "#/components/parameters/token"},
          {"name": "k", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 10}, "example": 10},
          {"name": "normalize", "in": "query", "schema": {"type": "boolean", "default": true}, "example": true}
        ],
        "responses": {"200": {"description": "{layer, point, token, normalize, predecessor, top: [{id, display, logit, probability, rank, previous_rank, rank_change}]}"}}
      }
    },
    "/api/runs/{id}/lens-grid": {
      "get": {
        "summary": "The logit lens's top token and its probability at every (layer, position)",
        "parameters": [
          {"$ref": "#/components/parameters/id"},
          {"name": "point", "in": "query", "schema": {"type": "string", "enum": ["pre", "mid", "post"], "default": "post"}, "example": "post"},
          {"name": "normalize", "in": "query", "schema": {"type": "boolean", "default": true}, "example": true}
        ],
        "responses": {"200": {"description": "{layers, point, normalize, tokens, cells: [[{id, display, logit, probability}] per token] per layer}"}}
      }
    },
    "/api/runs/{id}/metrics": {
      "get": {
        "summary": "Per-head attention metrics (means over rows q >= 1) and pattern classes (sink, previous-token, diagonal, vertical, uniform, sparse, mixed)",
        "parameters": [
          {"$ref": "#/components/parameters/id"},
          {"name": "sparsity_epsilon", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.01}, "example": 0.01},
          {"name": "diagonal_width", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 2}, "example": 2},
          {"name": "clusters", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 64, "default": 5}, "example": 3,
           "description": "k of the k-means clustering of the heads' metric means (k-means++ seeding, fixed SplitMix64 seed)"}
        ],
        "responses": {"200": {"description": "{layers, heads_per_layer, sparsity_epsilon, diagonal_width, heads: [{layer, head, class, entropy, normalized_entropy, sparsity, locality, focus, first_token, previous_token, self, diagonal, uniformity, vertical, vertical_key, cluster}], clusters: {k, seed, features, inertia, groups: [{id, members: [[layer, head]], centroid}]} | null}"}}
      }
    },
    "/api/runs/{id}/rollout": {
      "get": {
        "summary": "Attention rollout (Abnar & Zuidema): each token's share in a position's final representation",
        "parameters": [
          {"$ref": "#/components/parameters/id"},
          {"name": "row", "in": "query", "schema": {"type": "integer", "default": -1}, "example": -1},
          {"name": "heads", "in": "query", "schema": {"type": "string", "default": "all"}, "example": "all",
           "description": "'all' or a comma-separated list of heads to average"}
        ],
        "responses": {"200": {"description": "{row, heads, tokens, shares: [n], matrix: [[n] n rows]}"}}
      }
    },
    "/api/runs/{id}/flow": {
      "get": {
        "summary": "Layer-to-layer flow per position: cosine between a layer's input and output, information loss (1 - cos), relative update norm, attention and FFN shares of the update",
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "responses": {"200": {"description": "{tokens, layers: [{layer, cos, information_loss, relative_update, attention_share, ffn_share}]}"}}
      }
    },
    "/api/runs/{id}/anomalies": {
      "get": {
        "summary": "Problem tokens (analyses.md section 3): high attention to one key (grouped by key), uniform heads, dead heads, outlier residual activations (grouped by dimension), and per position the logit-lens layer where the final prediction appears and settles. Every finding carries layer, head, positions, tokens, value and the threshold that fired it",
        "parameters": [
          {"$ref": "#/components/parameters/id"},
          {"name": "high_attention", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.9}, "example": 0.9},
          {"name": "include_first_token", "in": "query", "schema": {"type": "boolean", "default": false}, "example": false},
          {"name": "uniform_threshold", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.8}},
          {"name": "uniform_min_row", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 65536, "default": 4}},
          {"name": "dead_fraction", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.01}},
          {"name": "outlier_factor", "in": "query", "schema": {"type": "number", "minimum": 1, "maximum": 1000000000, "default": 20}}
        ],
        "responses": {"200": {"description": "{parameters, tokens, anomalies: [{type: high_attention|uniform_attention|dead_head|outlier_activation|logit_lens_flip, layer, head, positions, tokens, value, threshold, ...}], lens_flips: [{position, final: {id, display}, first_layer, settled_layer, stays, top_by_layer}]}"}}
      }
    },
    "/api/runs/{id}/ablation": {
      "get": {
        "summary": "Zero ablation: the change in log-probability of the predicted next token when each head's output is zeroed and when each layer is skipped, one real forward pass each (L x H + L passes; slow on real models)",
        "parameters": [{"$ref": "#/components/parameters/id"}],
        "responses": {"200": {"description": "{predicted: {id, display}, log_probability, heads: [{layer, head, delta_log_probability, top: {id, display}}], layers: [{layer, delta_log_probability, top}]}"}}
      }
    },
    "/api/compare": {
      "post": {
        "summary": "Compare prompts side by side (analyses.md section 5): a pair, one slot in several templates, or a set (e.g. languages). Mark aligned spans with [[...]] (the same number in every prompt); without marks, tokens with identical strings are aligned",
        "requestBody": {
          "required": true,
          "content": {"application/json": {
            "schema": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "model": {"type": "string"},
                "kind": {"type": "string", "enum": ["pair", "templates", "set"], "description": "default: templates with templates, pair for two prompts, else set"},
                "prompts": {"type": "array", "items": {"type": "string"}, "minItems": 2},
                "labels": {"type": "array", "items": {"type": "string"}},
                "templates": {"type": "array", "items": {"type": "string"}, "description": "each with one {} slot; instead of prompts"},
                "slot": {"type": "string", "description": "the text put in each template's slot (required with templates)"},
                "targets": {"type": "array", "items": {"type": "string"}, "description": "texts whose first token's log-probability is compared"},
                "metrics": {"type": "array", "items": {"type": "string", "enum": ["entropy", "normalized_entropy", "sparsity", "locality", "focus", "first_token", "previous_token", "self", "diagonal", "uniformity", "vertical"]}},
                "top_k": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}
              }
            },
            "example": {"prompts": ["The [[doctor]] said that", "The [[nurse]] said that"], "targets": [" he", " she"]}
          }}
        },
        "responses": {
          "200": {"description": "{model, kind, alignment: spans|tokens, metrics, targets: [{text, id, display, first_token_only}], prompts: [{label, text, tokens, spans, top, target_log_probabilities, span_rollout_share}], target_differences: [{a, b, log_ratio: [per prompt]}], variance (templates and sets; population variance over the prompts): {target_probability, span_rollout_share}, groups: [{label, positions}], heads: [{layer, head, values: {metric: [per prompt]}, difference (pair: second - first) | variance (sets), aligned_attention: [per prompt [per group]]}]}"},
          "400": {"description": "fewer than two prompts, mismatched spans, unknown metric, too many prompts"},
          "413": {"description": "a prompt longer than the byte or token limit"},
          "503": {"description": "the run queue is full (Retry-After)"}
        }
      }
    },
    "/api/reports": {
      "post": {
        "summary": "Start a report over a prompt set: aggregated head metrics and classes, clusters, anomalies, layer flow, redundant layers and heads (by ablation) and recommendations citing their measurements. Answers 202 with a job to poll",
        "requestBody": {
          "required": true,
          "content": {"application/json": {
            "schema": {
              "type": "object",
              "required": ["prompts"],
              "additionalProperties": false,
              "properties": {
                "model": {"type": "string"},
                "prompts": {"type": "array", "items": {"type": "string"}, "minItems": 1, "description": "at most limits.max_report_prompts"},
                "options": {"type": "object", "additionalProperties": false, "properties": {
                  "ablation": {"type": "boolean", "default": true, "description": "run the L x H + L ablation passes per prompt"},
                  "clusters": {"type": "integer", "minimum": 1, "maximum": 64, "default": 5},
                  "top_k": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}}}
              }
            },
            "example": {"prompts": ["The capital of France is", "Once upon a time there was"], "options": {"ablation": true}}
          }}
        },
        "responses": {
          "202": {"description": "the job: {id, model, prompts, status: queued|running|done|failed|cancelled, progress: {done, total, prompt (0-based index of the prompt being measured)}, error, html, report}"},
          "400": {"description": "empty prompt set, too many prompts, empty prompt, bad option"},
          "413": {"description": "a prompt longer than the byte or token limit"},
          "503": {"description": "too many reports running or waiting (Retry-After)"}
        }
      }
    },
    "/api/reports/{id}": {
      "get": {
        "summary": "A report job: progress in forward passes, then the report JSON",
        "parameters": [{"$ref": "#/components/parameters/report_id"}],
        "responses": {"200": {"description": "as POST /api/reports; report is the JSON report once done: {model, architecture, layers, heads_per_layer, created, note, options, seconds, prompts, heads, layers_flow, redundant_heads: [[layer, head]], clusters, recommendations: [{rule, message, evidence: [{measure, layer, head, value, threshold}]}]}"}, "404": {"description": "no such report"}}
      },
      "delete": {
        "summary": "Cancel a report job (stops between forward passes)",
        "parameters": [{"$ref": "#/components/parameters/report_id"}],
        "responses": {"200": {"description": "the job, status cancelled (or its final status if it had finished)"}, "404": {"description": "no such report"}}
      }
    },
    "/api/reports/{id}/html": {
      "get": {
        "summary": "The finished report as one standalone HTML page (inline CSS and SVG, no scripts; opens offline)",
        "parameters": [{"$ref": "#/components/parameters/report_id"}],
        "responses": {"200": {"description": "text/html"}, "404": {"description": "no such report"}, "409": {"description": "not done (queued, running, failed or cancelled)"}}
      }
    },
    "/api/runs/{id}/promoted": {
      "get": {
        "summary": "Tokens a block, head, FFN or neuron promotes and suppresses",
        "parameters": [
          {"$ref": "#/components/parameters/id"},
          {"name": "kind", "in": "query", "required": true, "schema": {"type": "string", "enum": ["attention", "head", "ffn", "neuron", "neuron_scaled"]}, "example": "head"},
          {"$ref": "#/components/parameters/layer"}, {"$ref": "#/components/parameters/token"},
          {"name": "head", "in": "query", "schema": {"type": "integer"}, "example": 0},
          {"name": "neuron", "in": "query", "schema": {"type": "integer"}},
          {"name": "k", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 15}, "example": 10},
          {"name": "normalize", "in": "query", "schema": {"type": "boolean", "default": true}, "example": true}
        ],
        "responses": {"200": {"description": "{kind, caption, normalized, promoted: [{id, display, logit}], suppressed: [...]}"}}
      }
    },
    "/api/runs/{id}/neurons": {
      "get": {
        "summary": "FFN neurons with the largest contributions at a token, with their post-activation values",
        "parameters": [
          {"$ref": "#/components/parameters/id"}, {"$ref": "#/components/parameters/layer"},
          {"$ref": "#/components/parameters/token"},
          {"name": "k", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20}, "example": 20}
        ],
        "responses": {"200": {"description": "{layer, token, residual, neurons: [{index, weight, activation}]}"}}
      }
    }
  },
  "components": {
    "parameters": {
      "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
             "description": "the run id returned by POST /api/runs"},
      "report_id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^r[0-9a-f]{16}$"},
                    "description": "the report id returned by POST /api/reports"},
      "layer": {"name": "layer", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 0}, "example": 0},
      "token": {"name": "token", "in": "query", "schema": {"type": "integer", "default": -1}, "example": -1}
    }
  }
}
"""#
}
