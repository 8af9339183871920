// Small DOM helpers shared by the page's views. Text from files only ever goes through textContent.
export function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// Replaces a table body's rows; the first cell of each row is its row header.
export function fillRows(tbody, rows) {
  tbody.replaceChildren(
    ...rows.map((cells) => {
      const tr = el('tr');
      cells.forEach((c, i) => tr.append(el(i === 0 ? 'th' : 'td', c, i === 0 ? { scope: 'row' } : {})));
      return tr;
    }),
  );
}

// 6738415616 -> "6,738,415,616" (the core's with_commas; Intl's first call costs tens of milliseconds).
export const commas = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// Bytes in the chosen unit for people: three significant digits (27.3 GiB, 0.781 GiB, 131 GiB), always
// labelled: GiB = 2^30 bytes, GB = 10^9 bytes. The exact byte count stays beside it (a bytes column, a
// title on hover) and in every export; a size under 0.001 of the unit reads "< 0.001".
export function size(bytes, units = 'gib') {
  const unit = units === 'gb' ? 'GB' : 'GiB';
  const x = bytes / (units === 'gb' ? 1e9 : 2 ** 30);
  const a = Math.abs(x);
  if (a === 0) return `0 ${unit}`;
  if (a < 0.001) return `${x < 0 ? '−' : ''}< 0.001 ${unit}`;
  const text = a >= 100 ? String(Math.round(a)) : String(Number(a.toPrecision(3)));
  return `${x < 0 ? '−' : ''}${text} ${unit}`;
}

// Sets a size cell: the rounded size as text, the exact bytes as its title (hover, long-press).
export function setSize(node, bytes, units) {
  node.textContent = size(bytes, units);
  node.title = `${commas(bytes)} B`;
}

// A rate or count from the core's speed op for people: three significant digits, thousands with commas
// (33.88 → "33.9", 6309 → "6,310"); the core's own figure (four digits) stays in the title and the exports.
export function rate(x) {
  if (!(x > 0)) return '0';
  const r = Number(x.toPrecision(3));
  return r >= 1000 ? commas(Math.round(r)) : String(r);
}

// Seconds for people: milliseconds under one second ("81.2 ms"), else seconds ("3.82 s"), three digits.
export function seconds(s) {
  return s < 1 ? `${rate(s * 1000)} ms` : `${rate(s)} s`;
}
