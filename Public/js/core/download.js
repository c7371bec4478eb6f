// Downloads: files made in the browser from the current view's data (formats in core/export.js).
import { csv, jsonText } from './export.js';

export function download(filename, content, type) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/// Rows (the first is the header) as a CSV download.
export function downloadCSV(filename, rows) {
  download(filename, csv(rows), 'text/csv');
}

/// Data as a JSON download (`indent` as in jsonText).
export function downloadJSON(filename, data, indent) {
  download(filename, jsonText(data, indent), 'application/json');
}

/// An awaited PNG blob as a download; a failure goes to onError.
export async function downloadPNG(filename, blobPromise, onError) {
  try {
    download(filename, await blobPromise, 'image/png');
  } catch (error) {
    onError(error);
  }
}
