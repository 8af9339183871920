// embed.html?gallery=llama-3-8b&dtype=bf16&context=8192&gpu=RTX%204090&compact&resize=1
// URL parameters become the element's attributes; with resize=1 the page tells its parent its height
// ({type: "gpumem-resize", height}) through postMessage whenever it changes.
import { ATTRIBUTES } from './gpumem-calculator.js';

const params = new URLSearchParams(location.search);
const widget = document.createElement('gpumem-calculator');
for (const [k, v] of params) {
  if (k === 'resize') continue;
  if (ATTRIBUTES.includes(k)) {
    widget.setAttribute(k, v);
  }
}
document.body.append(widget);
if (params.get('resize') === '1' && window.parent !== window) {
  new ResizeObserver(() => {
    window.parent.postMessage({ type: 'gpumem-resize', height: document.documentElement.scrollHeight }, '*');
  }).observe(document.body);
}
