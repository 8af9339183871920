// Exports of the breakdown on screen: JSON (the request, the core's result and the rows as shown), CSV
// and a Markdown table for a model card or an issue. All three are built from the same rows the table
// shows, so they match it to the byte.
import { commas } from './dom.js';

const csvCell = (v) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const mdCell = (v) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function toJSON(view) {
  return JSON.stringify(
    {
      model: view.name,
      mode: view.mode,
      request: view.request,
      cli: view.cli,
      units: view.unitName,
      rows: view.parts.map((p) => ({ id: p.id, part: p.label, bytes: p.bytes, size: p.size, formula: p.formula, source: p.source })),
      total: { bytes: view.total, size: view.totalSize },
      verdict: view.verdict,
      result: view.result,
    },
    null,
    2,
  );
}

export function toCSV(view) {
  const head = ['id', 'part', 'bytes', `size (${view.unitName})`, 'formula', 'source'];
  const rows = view.parts.map((p) => [p.id, p.label, p.bytes, p.size, p.formula, p.source]);
  rows.push(['total', view.totalLabel, view.total, view.totalSize, '', '']);
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

export function toMarkdown(view) {
  const lines = [
    `**${mdCell(view.name)}** — ${mdCell(view.settingsLine)}`,
    '',
    `| ${view.headers.map(mdCell).join(' | ')} |`,
    '|---|---:|---:|---|',
    ...view.parts.map((p) => `| ${mdCell(p.label)} | ${commas(p.bytes)} | ${p.size} | ${mdCell(p.formula)} |`),
    `| **${mdCell(view.totalLabel)}** | **${commas(view.total)}** | **${view.totalSize}** | |`,
    '',
    view.verdict ? `${mdCell(view.verdict)}` : '',
    `Computed by gpumem: \`${view.cli}\``,
  ];
  return lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n') + '\n';
}

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
