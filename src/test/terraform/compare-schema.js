#!/usr/bin/env node
// Compares the offline schema extract (aws-provider-schema.json.gz, from the jsii bindings of provider
// 6.66.0) with a real provider schema (`tofu providers schema -json`, here provider 6.34.0 built by
// terraform/tofu-validate.sh), for every resource and data source type present in both: a check of
// the extraction method itself. Differences from version skew are expected (arguments added after
// 6.34); anything else is a limit of the extract, documented in docs/terraform-validation.md.
//
//   node compare-schema.js REAL_SCHEMA.json [--write-deprecations[=FILE]]
//
// --write-deprecations writes aws-provider-real-schema.json: for the types the real provider has, the
// arguments it marks deprecated and the arguments of the extract it does not have yet (added after
// its version, the lowest the configuration allows); check.js reports both (the jsii bindings
// carry neither).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const extract = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, 'aws-provider-schema.json.gz'))));
const file = process.argv[2];
if (!file) {
  console.error('usage: node compare-schema.js REAL_SCHEMA.json [--write-deprecations[=FILE]]');
  process.exit(2);
}
const realAll = JSON.parse(fs.readFileSync(file, 'utf8')).provider_schemas;
const real = Object.entries(realAll).find(([k]) => k.endsWith('/hashicorp/aws'))[1];

const diffs = { missing_in_extract: [], only_in_extract: [], required: [], block_flags: [], kind: [], computed: [] };
const deprecations = { resource: {}, data: {} };
const tooNew = { resource: {}, data: {} };
let typesCompared = 0;
let argsCompared = 0;

function compare(kind, type, block, nodeId, where) {
  if (nodeId === undefined || nodeId < 0) return;
  const node = extract.nodes[nodeId];
  const a = node.a || {};
  const b = node.b || {};
  const req = new Set(node.r || []);
  // read-only names are compared without underscores, as check.js does (the bindings' getter names
  // leave the snake_case spelling around digits open)
  const bare = (x) => x.replace(/_/g, '');
  const comp = new Set((node.c || []).map(bare));
  for (const [name, attr] of Object.entries(block.attributes || {})) {
    const settable = attr.required || attr.optional;
    const at = `${where}.${name}`;
    if (attr.deprecated && settable) {
      (deprecations[kind][type] = deprecations[kind][type] || []).push(where === type ? name : `${where.slice(type.length + 1)}.${name}`);
    }
    if (!settable) {
      if (where === type && !(name in a) && !comp.has(bare(name)) && name !== 'id') diffs.computed.push(`${kind} ${at}`);
      continue;
    }
    argsCompared++;
    if (name in b) diffs.kind.push(`${at}: an argument in ${real.provider ? 'the real schema' : 'real'}, a block in the extract`);
    else if (!(name in a)) diffs.missing_in_extract.push(at);
    else if (!!attr.required !== req.has(name)) diffs.required.push(`${at}: required ${!!attr.required} (real) vs ${req.has(name)} (extract)`);
  }
  for (const [name, bt] of Object.entries(block.block_types || {})) {
    const at = `${where}.${name}`;
    argsCompared++;
    if (name in a) {
      diffs.kind.push(`${at}: a block in the real schema, an argument in the extract`);
      continue;
    }
    if (!(name in b)) {
      diffs.missing_in_extract.push(`${at} (block)`);
      continue;
    }
    const [child, flags] = b[name];
    const realFlags = ((bt.min_items || 0) >= 1 ? 1 : 0)
      | (bt.max_items === 1 || bt.nesting_mode === 'single' || bt.nesting_mode === 'group' ? 2 : 0);
    if (realFlags !== flags) diffs.block_flags.push(`${at}: min/max ${bt.min_items || 0}/${bt.max_items || '-'} (${bt.nesting_mode}) vs flags ${flags}`);
    compare(kind, type, bt.block, child, at);
  }
  const realNames = new Set([...Object.keys(block.attributes || {}), ...Object.keys(block.block_types || {})]);
  for (const name of [...Object.keys(a), ...Object.keys(b)]) {
    if (!realNames.has(name)) {
      diffs.only_in_extract.push(`${where}.${name}`);
      (tooNew[kind][type] = tooNew[kind][type] || []).push(where === type ? name : `${where.slice(type.length + 1)}.${name}`);
    }
  }
}

for (const [kind, realKey] of [['resource', 'resource_schemas'], ['data', 'data_source_schemas']]) {
  for (const [type, schema] of Object.entries(real[realKey] || {})) {
    if (!(type in extract[kind])) {
      diffs.missing_in_extract.push(`${kind} ${type} (type)`);
      continue;
    }
    typesCompared++;
    compare(kind, type, schema.block, extract[kind][type], type);
  }
}

console.log(`compared ${typesCompared} types and ${argsCompared} arguments/blocks of the real provider schema with the extract`
  + ` (${extract.meta.package}, provider ${extract.meta.provider_version})`);
const show = (title, list, note) => {
  console.log(`- ${title}: ${list.length}${note ? ` (${note})` : ''}`);
  for (const x of list.slice(0, 8)) console.log(`    ${x}`);
  if (list.length > 8) console.log(`    ... ${list.length - 8} more`);
};
show('in the real schema, not in the extract', diffs.missing_in_extract, 'removed or renamed after the real version');
show('in the extract, not in the real schema', diffs.only_in_extract, 'added after the real version');
show('required flag differs', diffs.required);
show('block min/max differs', diffs.block_flags);
show('block vs argument differs', diffs.kind);
show('read-only attributes missing from the extract', diffs.computed);
const nDep = Object.values(deprecations.resource).concat(Object.values(deprecations.data)).reduce((n, l) => n + l.length, 0);
console.log(`- deprecated arguments in the real schema: ${nDep}`);
const writeArg = process.argv.find((a) => a.startsWith('--write-deprecations'));
if (writeArg) {
  const out = writeArg.includes('=') ? writeArg.split('=')[1] : path.join(__dirname, 'aws-provider-real-schema.json');
  const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k].sort()]));
  fs.writeFileSync(out, JSON.stringify({
    source: `tofu providers schema -json of AWS provider ${process.env.PROVIDER_VERSION || '6.34.0'} built by`
      + ' terraform/tofu-validate.sh (the service packages terraform/ uses), compared with the extract by compare-schema.js',
    provider_version: process.env.PROVIDER_VERSION || '6.34.0',
    deprecated: { resource: sorted(deprecations.resource), data: sorted(deprecations.data) },
    too_new: { resource: sorted(tooNew.resource), data: sorted(tooNew.data) },
  }, null, 1) + '\n');
  console.log(`wrote ${out}`);
}
