// What the page makes of a typed or pasted text (web/src/hub-id.js): Hub ids with revisions, addresses with
// folders and .gguf files, gallery queries, config text, and a reason for each kind of invalid input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHubId, recognise, refText } from '../../web/src/hub-id.js';

const hub = (id, revision = null, subfolder = '', file = null) => ({ kind: 'hub', id, revision, subfolder, file });

test('ids and ids with a revision', () => {
  assert.deepEqual(parseHubId('meta-llama/Llama-3.1-8B-Instruct'), hub('meta-llama/Llama-3.1-8B-Instruct'));
  assert.deepEqual(parseHubId('  Qwen/Qwen3-0.6B  '), hub('Qwen/Qwen3-0.6B'));
  assert.deepEqual(parseHubId('Qwen/Qwen3-0.6B@main'), hub('Qwen/Qwen3-0.6B', 'main'));
  assert.deepEqual(parseHubId('org/name@refs/pr/12'), hub('org/name', 'refs/pr/12'));
  const sha = '0123456789abcdef0123456789abcdef01234567';
  assert.deepEqual(parseHubId(`org/name@${sha}`), hub('org/name', sha));
  assert.equal(refText(hub('org/name', 'v1.0')), 'org/name@v1.0');
  assert.equal(refText(hub('org/name')), 'org/name');
});

test('addresses of a model page, a revision, a folder', () => {
  assert.deepEqual(parseHubId('https://huggingface.co/google/gemma-3-4b-it'), hub('google/gemma-3-4b-it'));
  assert.deepEqual(parseHubId('huggingface.co/google/gemma-3-4b-it/'), hub('google/gemma-3-4b-it'));
  assert.deepEqual(parseHubId('https://hf.co/google/gemma-3-4b-it?library=transformers#top'), hub('google/gemma-3-4b-it'));
  assert.deepEqual(parseHubId('https://www.huggingface.co/google/gemma-3-4b-it'), hub('google/gemma-3-4b-it'));
  assert.deepEqual(parseHubId('https://huggingface.co/org/name/tree/dev'), hub('org/name', 'dev'));
  assert.deepEqual(parseHubId('https://huggingface.co/org/name/tree/main/text_encoder'), hub('org/name', 'main', 'text_encoder'));
  assert.deepEqual(parseHubId('https://huggingface.co/org/name/tree/main/a/b'), hub('org/name', 'main', 'a/b'));
  // An encoded branch name (the Hub writes refs%2Fpr%2F1 in its addresses).
  assert.deepEqual(parseHubId('https://huggingface.co/org/name/tree/refs%2Fpr%2F1'), hub('org/name', 'refs/pr/1'));
  assert.deepEqual(parseHubId('https://huggingface.co/org/name/discussions'), hub('org/name'));
  // A one-part legacy id in an address; a bare path without a host.
  assert.deepEqual(parseHubId('https://huggingface.co/gpt2'), hub('gpt2'));
  assert.deepEqual(parseHubId('org/name/tree/v2/sub'), hub('org/name', 'v2', 'sub'));
});

test('.gguf files and other files of a repo', () => {
  assert.deepEqual(parseHubId('https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF/blob/main/Llama-3.2-1B-Instruct-Q4_K_M.gguf'),
    hub('bartowski/Llama-3.2-1B-Instruct-GGUF', 'main', '', 'Llama-3.2-1B-Instruct-Q4_K_M.gguf'));
  assert.deepEqual(parseHubId('https://huggingface.co/unsloth/Qwen3-30B-A3B-GGUF/resolve/main/BF16/Qwen3-30B-A3B-BF16-00001-of-00002.gguf?download=true'),
    hub('unsloth/Qwen3-30B-A3B-GGUF', 'main', '', 'BF16/Qwen3-30B-A3B-BF16-00001-of-00002.gguf'));
  // A file that is not a GGUF: its folder.
  assert.deepEqual(parseHubId('https://huggingface.co/org/name/blob/main/config.json'), hub('org/name', 'main'));
  assert.deepEqual(parseHubId('https://huggingface.co/org/name/blob/main/transformer/config.json'), hub('org/name', 'main', 'transformer'));
});

test('invalid input gives a reason', () => {
  const reason = (t) => parseHubId(t).reason;
  assert.equal(reason(''), 'empty');
  assert.equal(reason('https://huggingface.co/'), 'empty');
  assert.equal(reason('https://github.com/org/name'), 'not_huggingface');
  assert.equal(reason('ftp://huggingface.co/org/name'), 'not_huggingface');
  assert.equal(reason('https://huggingface.co/datasets/HuggingFaceFW/fineweb'), 'not_model');
  assert.equal(reason('https://huggingface.co/spaces/org/app'), 'not_model');
  assert.equal(reason('https://huggingface.co/docs/hub'), 'not_model');
  assert.equal(reason('org/na me'), 'bad_id');
  assert.equal(reason('org/-name'), 'bad_id');
  assert.equal(reason('org/name.'), 'bad_id');
  assert.equal(reason('org/na--me'), 'bad_id');
  assert.equal(reason('org/na..me'), 'bad_id');
  assert.equal(reason('org/name.git'), 'bad_id');
  assert.equal(reason('org/na$me'), 'bad_id');
  assert.equal(reason('org//name'), 'bad_id');
  assert.equal(reason('org/name/extra'), 'bad_id');
  assert.equal(reason(`org/${'a'.repeat(97)}`), 'too_long');
  assert.equal(parseHubId(`org/${'a'.repeat(96)}`).kind, 'hub');
  assert.equal(reason('org/name@'), 'bad_revision');
  assert.equal(reason('org/name@a..b'), 'bad_revision');
  assert.equal(reason('org/name@-x'), 'bad_revision');
  assert.equal(reason('https://huggingface.co/org/name/tree/'), 'bad_revision');
  assert.equal(reason('https://huggingface.co/org/name@v1/tree/main'), 'bad_revision');
  assert.equal(reason('org/name/blob/main/../x.gguf'), 'bad_path');
  assert.equal(reason('org/name/tree/main//sub'), 'bad_path');
  assert.equal(reason('https://huggingface.co/org/name/tree/main/%E0%A4%A'), 'bad_path');
});

test('which input is which: gallery query, Hub id, config text', () => {
  // The gallery box: a word is a query; an id needs its slash or an address.
  assert.deepEqual(recognise('llama-3.1-8b'), { kind: 'query', query: 'llama-3.1-8b' });
  assert.deepEqual(recognise('qwen3 moe'), { kind: 'query', query: 'qwen3 moe' });
  assert.deepEqual(recognise('meta-llama/Llama-3.1-8B'), hub('meta-llama/Llama-3.1-8B'));
  assert.deepEqual(recognise('https://huggingface.co/gpt2'), hub('gpt2'));
  assert.equal(recognise('org/na me').kind, 'invalid');
  assert.deepEqual(recognise('   '), { kind: 'empty' });
  // The paste box: JSON (and a document) is config text; an id or a one-word legacy id is the Hub's.
  assert.deepEqual(recognise('{"model_type": "llama"}', 'paste'), { kind: 'config' });
  assert.deepEqual(recognise('  [1, 2]', 'paste'), { kind: 'config' });
  assert.deepEqual(recognise('<!DOCTYPE html><html></html>', 'paste'), { kind: 'config' });
  assert.deepEqual(recognise('{"model_type":\n"llama"', 'paste'), { kind: 'config' });
  assert.deepEqual(recognise('42', 'paste'), { kind: 'config' });
  assert.deepEqual(recognise('null', 'paste'), { kind: 'config' });
  assert.deepEqual(recognise('meta-llama/Llama-3.1-8B-Instruct', 'paste'), hub('meta-llama/Llama-3.1-8B-Instruct'));
  assert.deepEqual(recognise('gpt2', 'paste'), hub('gpt2'));
  assert.deepEqual(recognise('huggingface.co/org/name/tree/main/sub', 'paste'), hub('org/name', 'main', 'sub'));
  assert.equal(recognise('not an id', 'paste').reason, 'bad_id');
});
