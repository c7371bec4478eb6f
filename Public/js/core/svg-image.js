// An SVG element of the page as a file: a standalone SVG document, or a PNG (the SVG drawn onto a canvas). The
// charts' SVG and PNG exports (the Evaluate view's curves, the Compare page's checkpoint trends).
import { SVG_NS } from './dom.js';
import { xmlDocument } from './export.js';

/// The element as an SVG document's text (a copy with the SVG namespace declared).
export function svgDocumentText(svg) {
  const copy = svg.cloneNode(true);
  copy.setAttribute('xmlns', SVG_NS);
  return xmlDocument(new XMLSerializer().serializeToString(copy) + '\n');
}

/// The element as a PNG blob on white at `scale` device pixels per unit of its width and height attributes (a
/// promise).
export function svgPNG(svg, scale = 2) {
  const width = Number(svg.getAttribute('width')), height = Number(svg.getAttribute('height'));
  const url = URL.createObjectURL(new Blob([svgDocumentText(svg)], { type: 'image/svg+xml' }));
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png');
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('the SVG could not be drawn for the PNG'));
    };
    image.src = url;
  });
}
