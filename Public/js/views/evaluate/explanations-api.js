// The explanation jobs of the JSON API: POST /api/explanations (202, a job), GET and DELETE
// /api/explanations/{id}, and the address of the standalone HTML report (GET /api/explanations/{id}/html, 409 until
// the job is done). A 400's parameter (details.parameter; or, when only the message names it, "steps: …") is kept
// on the error for the form to mark the field.
import { deleteJSON, getJSON, postJSON } from '../../core/api.js';

const path = (id) => `/api/explanations/${encodeURIComponent(id)}`;

/// The parameter a bad_parameter error names: its details' one, else the message's leading "name:". Pure.
export function errorParameter(error) {
  if (error?.details?.parameter) return error.details.parameter;
  if (error?.parameter) return error.parameter;
  const match = error?.code === 'bad_parameter' ? /^([a-z_]+):/.exec(error.message || '') : null;
  return match ? match[1] : null;
}

/// The error with details.parameter filled in when it names one (for components/error-box.js).
function withParameter(error) {
  const parameter = errorParameter(error);
  if (parameter && !error.details?.parameter) error.details = { ...(error.details || {}), parameter };
  return error;
}

const checked = (promise) => promise.catch((error) => { throw withParameter(error); });

export const explanationsAPI = {
  create: (body) => checked(postJSON('/api/explanations', body)),
  get: (id) => checked(getJSON(path(id))),
  cancel: (id) => checked(deleteJSON(path(id))),
  htmlURL: (id) => `${path(id)}/html`,
};
