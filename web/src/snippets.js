// "Embed this": the custom-element and iframe snippets for the config on screen. Only string building:
// the widget computes with the same engine as this page.
const attr = (s) => s.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;');

// hub: the Hugging Face model on screen ({id, revision, file}): the widget then reads it by id (model="…"),
// as the page did, instead of carrying the config.
export function embedSnippets(configText, options = {}, hub = null) {
  const base = new URL('.', location.href).href;
  if (hub) {
    const model = hub.subfolder
      ? `https://huggingface.co/${hub.id}/tree/${encodeURIComponent(hub.revision ?? 'main')}/${hub.subfolder}`
      : hub.revision ? `${hub.id}@${hub.revision}` : hub.id;
    const byId = { model, ...(hub.file ? { file: hub.file } : {}), ...options };
    const attrs = Object.entries(byId).map(([k, v]) => ` ${k}="${attr(String(v)).replace(/"/g, '&quot;')}"`).join('');
    return {
      element: `<script type="module" src="${base}gpumem-calculator.js"></script>\n<gpumem-calculator${attrs}></gpumem-calculator>`,
      iframe: `<iframe src="${base}embed.html?${new URLSearchParams({ ...byId, resize: '1' })}" title="GPU memory calculator" ` +
        `width="100%" height="320" frameborder="0" loading="lazy"></iframe>`,
    };
  }
  let compactConfig;
  try {
    compactConfig = JSON.stringify(JSON.parse(configText));
  } catch {
    compactConfig = configText;
  }
  const attrs = Object.entries(options).map(([k, v]) => ` ${k}="${attr(String(v))}"`).join('');
  const element = `<script type="module" src="${base}gpumem-calculator.js"></script>\n` +
    `<gpumem-calculator config='${attr(compactConfig)}'${attrs}></gpumem-calculator>`;
  const params = new URLSearchParams({ config: compactConfig, ...options, resize: '1' });
  const iframe = `<iframe src="${base}embed.html?${params}" title="GPU memory calculator" ` +
    `width="100%" height="320" frameborder="0" loading="lazy"></iframe>`;
  return { element, iframe };
}
