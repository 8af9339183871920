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

// Bytes in the chosen unit, always labelled: GiB = 2^30 bytes, GB = 10^9 bytes (4 decimals, as the core's
// gib_h/gb_h strings).
export const size = (bytes, units = 'gib') =>
  units === 'gb' ? `${(bytes / 1e9).toFixed(4)} GB` : `${(bytes / 2 ** 30).toFixed(4)} GiB`;
