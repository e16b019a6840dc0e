#!/usr/bin/env node
// Extracts the AWS provider schema that check.js validates against, from the jsii type description
// (.jsii) of the npm package @cdktn/provider-aws (prebuilt CDK Terrain bindings, generated from the
// provider's own schema). Writes aws-provider-schema.json.gz beside this script; the tests only read
// that file and never download the package (46 MB packed, 480 MB installed).
//
//   node extract-aws-schema.js [VERSION]        default: the version recorded in the current extract
//
// What the .jsii gives (and how it is read):
// - every resource / data source class (base cdktn.TerraformResource / TerraformDataSource) has a
//   Config struct; its docs link ends in the Terraform type (…/docs/resources/s3_bucket);
// - every property of a Config or nested struct has a docs link ending in its Terraform name
//   (…#bucket_name); a property that is not optional is required;
// - a property whose docs summary ends in "NAME block." is a nested block (a struct type, or a list
//   of them; a plain struct type means at most one block); other struct-typed properties are
//   object-valued arguments (the provider's nested attributes);
// - attributes that can only be read (computed: arn, id, …) are the getters of the resource class
//   that are not in its Config.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { execFileSync } = require('child_process');

const OUT = path.join(__dirname, 'aws-provider-schema.json.gz');
const PACKAGE = '@cdktn/provider-aws';

function main() {
  let version = process.argv[2];
  if (!version && fs.existsSync(OUT)) {
    version = JSON.parse(zlib.gunzipSync(fs.readFileSync(OUT))).meta.package.split('@').pop();
  }
  if (!version) {
    throw new Error(`usage: node extract-aws-schema.js VERSION (a version of ${PACKAGE}, e.g. 25.7.0)`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-aws-'));
  try {
    console.error(`npm pack ${PACKAGE}@${version} (about 46 MB) into ${tmp}`);
    const tgz = execFileSync('npm', ['pack', `${PACKAGE}@${version}`, '--silent'], { cwd: tmp, encoding: 'utf8' })
      .trim().split('\n').pop();
    execFileSync('tar', ['xzf', tgz, 'package/.jsii'], { cwd: tmp });
    const jsii = JSON.parse(fs.readFileSync(path.join(tmp, 'package', '.jsii'), 'utf8'));
    const schema = extract(jsii);
    fs.writeFileSync(OUT, zlib.gzipSync(Buffer.from(JSON.stringify(schema)), { level: 9 }));
    console.error(`wrote ${OUT}: provider ${schema.meta.provider_version}, ${Object.keys(schema.resource).length}`
      + ` resource types, ${Object.keys(schema.data).length} data sources, ${schema.nodes.length} distinct blocks,`
      + ` ${fs.statSync(OUT).size} bytes`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function extract(jsii) {
  const types = jsii.types;
  const nodes = [];
  const nodeIds = new Map(); // canonical JSON -> index (identical blocks are stored once)
  const memo = new Map();    // struct fqn -> index
  const inProgress = new Set(); // recursive structs: the inner occurrence is stored as unknown (-1)
  let providerVersion = null;

  const linkOf = (docs) => {
    const m = /\{@link (https:\/\/registry\.terraform\.io\/providers\/hashicorp\/aws\/([^/]+)\/docs\/[^ }]+)/.exec(docs?.summary || '');
    return m ? { url: m[1], version: m[2] } : null;
  };
  const tfName = (prop) => {
    const link = linkOf(prop.docs);
    if (link && link.url.includes('#')) return link.url.split('#').pop();
    return snake(prop.name);
  };
  const structsIn = (t) => {
    if (!t) return [];
    if (t.fqn) return types[t.fqn] && types[t.fqn].datatype ? [{ fqn: t.fqn, list: false }] : [];
    if (t.union) return t.union.types.flatMap(structsIn);
    if (t.collection) return structsIn(t.collection.elementtype).map((s) => ({ ...s, list: true }));
    return [];
  };
  const typeCode = (t) => {
    if (!t) return 'a';
    if (t.primitive) return { string: 's', number: 'n', boolean: 'b', any: 'a', json: 'a', date: 's' }[t.primitive] || 'a';
    if (t.union) {
      const real = t.union.types.filter((x) => x.fqn !== 'cdktn.IResolvable');
      return real.length === 1 ? typeCode(real[0]) : 'a';
    }
    if (t.collection) {
      const e = typeCode(t.collection.elementtype);
      return (t.collection.kind === 'array' ? 'l' : 'm') + (e.length === 1 ? e : 'a');
    }
    if (t.fqn) return types[t.fqn] && types[t.fqn].datatype ? 'o' : 'a';
    return 'a';
  };

  function props(fqn) { // own and inherited properties of a struct
    const t = types[fqn];
    if (!t) return [];
    const inherited = (t.interfaces || []).filter((i) => i.startsWith('@cdktn/provider-aws')).flatMap(props);
    return [...inherited, ...(t.properties || [])];
  }

  function node(fqn, extraComputed) {
    if (!extraComputed && memo.has(fqn)) return memo.get(fqn);
    if (inProgress.has(fqn)) return -1;
    inProgress.add(fqn);
    const n = { a: {}, r: [], b: {} };
    for (const p of props(fqn)) {
      const name = tfName(p);
      const summary = (p.docs?.summary || '').trim();
      const isBlock = summary.endsWith(' block.');
      const structs = structsIn(p.type);
      if (isBlock) {
        // flags: 1 = required (at least one), 2 = at most one
        const flags = (p.optional ? 0 : 1) | (structs.length && !structs[0].list ? 2 : 0);
        n.b[name] = [structs.length ? node(structs[0].fqn) : -1, flags];
      } else {
        n.a[name] = typeCode(p.type);
        if (!p.optional) n.r.push(name);
      }
    }
    inProgress.delete(fqn);
    if (extraComputed) {
      const c = extraComputed.filter((x) => !(x in n.a) && !(x in n.b));
      if (c.length) n.c = c.sort();
    }
    if (!n.r.length) delete n.r;
    if (!Object.keys(n.b).length) delete n.b;
    const key = JSON.stringify(n);
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = nodes.length;
      nodes.push(n);
      nodeIds.set(key, id);
    }
    if (!extraComputed) memo.set(fqn, id);
    return id;
  }

  const BASE_GETTERS = new Set(['fqn', 'friendlyUniqueId', 'terraformMetaArguments', 'terraformResourceType',
    'terraformGeneratorMetadata', 'node', 'cdktfStack', 'cdktnStack', 'dependsOn', 'count', 'provider', 'lifecycle',
    'forEach', 'connection', 'provisioners', 'rawOverrides']);
  const resource = {};
  const data = {};
  let provider = -1;
  for (const [fqn, t] of Object.entries(types)) {
    if (t.kind !== 'class') continue;
    if (t.base === 'cdktn.TerraformProvider') {
      const configParam = (t.initializer?.parameters || []).find((p) => p.name === 'config');
      if (configParam) provider = node(configParam.type.fqn);
      continue;
    }
    const kind = t.base === 'cdktn.TerraformResource' ? 'resource' : t.base === 'cdktn.TerraformDataSource' ? 'data' : null;
    if (!kind) continue;
    const link = linkOf(t.docs);
    if (!link) continue;
    providerVersion = providerVersion || link.version;
    const m = /\/docs\/(resources|data-sources)\/([a-z0-9_]+)$/.exec(link.url);
    if (!m) continue;
    const typeName = 'aws_' + m[2];
    const configParam = (t.initializer?.parameters || []).find((p) => p.name === 'config');
    if (!configParam) continue;
    const configFqn = configParam.type.fqn;
    const configNames = new Map(props(configFqn).map((p) => [p.name, tfName(p)]));
    const computed = (t.properties || [])
      .filter((p) => !p.static && !p.name.endsWith('Input') && !BASE_GETTERS.has(p.name))
      .map((p) => configNames.get(p.name) || snake(p.name.replace(/Attribute$/, '')));
    (kind === 'resource' ? resource : data)[typeName] = node(configFqn, computed);
  }
  return {
    meta: {
      provider: 'registry.terraform.io/hashicorp/aws',
      provider_version: providerVersion,
      package: `${jsii.name}@${jsii.version}`,
      format: 'provider: node index of the provider block; resource/data: type -> node index; node: a = arguments {name: type code: s string, n number, '
        + 'b bool, l<x> list, m<x> map, o object, a any}, r = required arguments, b = blocks {name: [node index '
        + '(-1 unknown), flags: 1 required, 2 at most one]}, c = computed-only attributes',
    },
    provider,
    resource: sortKeys(resource),
    data: sortKeys(data),
    nodes,
  };
}

function snake(s) {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

function sortKeys(o) {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(`extract-aws-schema: ${e.message}`);
    process.exit(1);
  }
}
module.exports = { extract };
