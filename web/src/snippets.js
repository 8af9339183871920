// "Embed this": the custom-element and iframe snippets for the config on screen. Only string building:
// the widget computes with the same engine as this page.
const attr = (s) => s.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;');

export function embedSnippets(configText, options = {}) {
  let compactConfig;
  try {
    compactConfig = JSON.stringify(JSON.parse(configText));
  } catch {
    compactConfig = configText;
  }
  const base = new URL('.', location.href).href;
  const attrs = Object.entries(options).map(([k, v]) => ` ${k}="${attr(String(v))}"`).join('');
  const element = `<script type="module" src="${base}gpumem-calculator.js"></script>\n` +
    `<gpumem-calculator config='${attr(compactConfig)}'${attrs}></gpumem-calculator>`;
  const params = new URLSearchParams({ config: compactConfig, ...options, resize: '1' });
  const iframe = `<iframe src="${base}embed.html?${params}" title="GPU memory calculator" ` +
    `width="100%" height="320" frameborder="0" loading="lazy"></iframe>`;
  return { element, iframe };
}
