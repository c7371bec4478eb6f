// The file formats of the exports: CSV, JSON and SVG text made from the views' data. Pure: no DOM (the download
// itself is core/download.js).

export function csvField(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/// CSV of rows (arrays; the first is the header), each line ended by `eol`.
export function csv(rows, eol = '\r\n') {
  return rows.map((row) => row.map(csvField).join(',')).join(eol) + eol;
}

/// JSON text; `indent` as JSON.stringify's third argument (none: one line).
export function jsonText(data, indent) {
  return indent === undefined ? JSON.stringify(data) : JSON.stringify(data, null, indent);
}

/// An SVG or XML document: the XML declaration, then the serialised root element.
export function xmlDocument(serialized) {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + serialized;
}
