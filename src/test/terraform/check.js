#!/usr/bin/env node
// Offline validation of the Terraform in terraform/: no terraform binary, no provider download.
//
//   node check.js --root terraform [--var-file environments/dev/terraform.tfvars ...] [--root DIR ...] [--json]
//
// Every .tf file is parsed with HashiCorp's HCL parser (@cdktf/hcl2json: hcl compiled to
// WebAssembly), one file at a time so errors name the file. The configuration is then checked
// against the AWS provider schema extracted by extract-aws-schema.js (aws-provider-schema.json.gz)
// and against this project's policies. What it checks and what it cannot: docs/terraform-validation.md.
//
// Exit code 0: no errors; 1: errors (each printed as FILE:LINE:COL: error [code] message); 2: usage.
// --json prints {errors, warnings, outputs} instead (outputs: each root's output objects' keys).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const hcl = require('@cdktf/hcl2json');

const SCHEMA = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, 'aws-provider-schema.json.gz'))));
// From the real provider's schema (the oldest version the configuration allows; compare-schema.js
// --write-deprecations, after terraform/tofu-validate.sh built it): deprecated arguments, and
// arguments of the extract that version does not have yet. The jsii bindings carry neither.
const REAL = JSON.parse(fs.readFileSync(path.join(__dirname, 'aws-provider-real-schema.json'), 'utf8'));

const RESOURCE_META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);
const DATA_META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle']);
const MODULE_META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);
const LIFECYCLE_KEYS = new Set(['create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by',
  'precondition', 'postcondition']);
const VARIABLE_KEYS = new Set(['description', 'type', 'default', 'validation', 'sensitive', 'nullable', 'ephemeral']);
const OUTPUT_KEYS = new Set(['description', 'value', 'sensitive', 'depends_on', 'precondition', 'ephemeral']);
// Read-only metadata actions that IAM cannot scope to a resource: allowed on "*".
const UNSCOPED_READ_ACTIONS = new Set(['dms:DescribeReplicationTasks', 'dms:DescribeReplications',
  'dms:DescribeReplicationConfigs', 'dms:DescribeReplicationInstances', 'dms:DescribeEndpoints', 'dms:DescribeConnections',
  'cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics',
  'sts:GetCallerIdentity', 'athena:ListWorkGroups', 'glue:GetCatalogImportStatus', 's3:ListAllMyBuckets']);
const POLICY_ARGUMENTS = { aws_iam_policy: ['policy'], aws_iam_role_policy: ['policy'], aws_iam_user_policy: ['policy'],
  aws_iam_group_policy: ['policy'], aws_iam_role: ['assume_role_policy'], aws_s3_bucket_policy: ['policy'],
  aws_kms_key: ['policy'], aws_secretsmanager_secret_policy: ['policy'] };
const SECRET_NAME = /(^|_)(password|passwd|secret|secret_string|secret_key|access_key|token|private_key|api_key|auth_password)$/;
const SSE_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);
// Built-in functions of Terraform 1.6+ / OpenTofu 1.6+ (provider functions, provider::NS::NAME, are not checked).
const FUNCTIONS = new Set(`abs ceil floor log max min parseint pow signum chomp endswith format formatlist indent join
  lower regex regexall replace split startswith strcontains strrev substr templatestring title trim trimprefix
  trimsuffix trimspace upper alltrue anytrue chunklist coalesce coalescelist compact concat contains distinct element
  flatten index keys length lookup matchkeys merge one range reverse setintersection setproduct setsubtract setunion
  slice sort sum transpose values zipmap base64decode base64encode base64gzip csvdecode jsondecode jsonencode
  textdecodebase64 textencodebase64 urlencode yamldecode yamlencode abspath dirname pathexpand basename file fileexists
  fileset filebase64 templatefile formatdate plantimestamp timeadd timecmp timestamp base64sha256 base64sha512 bcrypt
  filebase64sha256 filebase64sha512 filemd5 filesha1 filesha256 filesha512 md5 rsadecrypt sha1 sha256 sha512 uuid
  uuidv5 cidrhost cidrnetmask cidrsubnet cidrsubnets can issensitive nonsensitive sensitive tobool tolist tomap
  tonumber toset tostring try ephemeralasnull`.split(/\s+/));

// ------------------------------------------------------------------------------------- reporting

class Report {
  constructor() {
    this.errors = [];
    this.warnings = [];
  }

  add(list, code, where, message) {
    const entry = { file: where.file, line: where.line || 1, col: where.col || 1, code, message };
    const key = `${entry.file}:${entry.line}:${entry.col}:${code}:${message}`;
    if (!list.some((e) => `${e.file}:${e.line}:${e.col}:${e.code}:${e.message}` === key)) list.push(entry);
  }

  error(code, where, message) {
    this.add(this.errors, code, where, message);
  }

  warn(code, where, message) {
    this.add(this.warnings, code, where, message);
  }
}

// ----------------------------------------------------------------------------- source positions

/** Line numbers of constructs in a file, found in its text (the parser's JSON has no positions). */
class Source {
  constructor(file, text) {
    this.file = file;
    this.lines = text.split('\n');
  }

  /** First line (1-based) at or after `from` matching re; `from` when none does. */
  find(re, from = 1) {
    for (let i = Math.max(0, from - 1); i < this.lines.length; i++) {
      if (re.test(this.lines[i])) return i + 1;
    }
    return from;
  }

  /** Where a nested argument or block `name` is, searching from the enclosing block's line. */
  member(name, from) {
    const n = escape(name);
    return this.find(new RegExp(`^\\s*(${n}\\s*[={]|${n}\\s*$|dynamic\\s+"${n}")`), from);
  }

  /** Where the n-th (0-based) nested block `name { ... }` starts, searching from line `from`. */
  nthBlock(name, from, n) {
    const re = new RegExp(`^\\s*${escape(name)}\\s*\\{`);
    let line = from - 1;
    for (let k = 0; k <= n; k++) {
      const next = this.find(re, line + 1);
      if (next === line + 1 && !re.test(this.lines[next - 1] || '')) return k === 0 ? this.member(name, from) : line;
      line = next;
    }
    return line;
  }

  /** Where some text appears, at or after line `from`, with its column. */
  text(needle, from = 1) {
    for (let i = Math.max(0, from - 1); i < this.lines.length; i++) {
      const c = this.lines[i].indexOf(needle);
      if (c >= 0) return { line: i + 1, col: c + 1 };
    }
    return { line: from, col: 1 };
  }

  at(line, col = 1) {
    return { file: this.file, line, col };
  }
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ------------------------------------------------------------------------------------ expressions

const isExpr = (v) => typeof v === 'string' && /\$\{|%\{/.test(v);

/** The `${...}` / `%{...}` segments of a template string. */
function templateSegments(s) {
  const out = [];
  for (let i = 0; i < s.length - 1; i++) {
    if ((s[i] === '$' || s[i] === '%') && s[i + 1] === '{' && s[i - 1] !== s[i]) {
      let depth = 0;
      let quote = false;
      for (let j = i + 1; j < s.length; j++) {
        const c = s[j];
        if (quote) {
          if (c === '\\') j++;
          else if (c === '"') quote = false;
        } else if (c === '"') quote = true;
        else if (c === '{') depth++;
        else if (c === '}' && --depth === 0) {
          out.push({ kind: s[i], body: s.slice(i + 2, j) });
          i = j;
          break;
        }
      }
    }
  }
  return out;
}

const refCache = new Map();
/** References (traversals such as var.x, aws_s3_bucket.this.arn) in a string value, via the HCL parser. */
async function referencesIn(s) {
  if (!isExpr(s)) return [];
  if (refCache.has(s)) return refCache.get(s);
  let refs;
  try {
    refs = (await hcl.getReferencesInExpression('expr.tf', s)).map((r) => r.value);
  } catch (e) {
    // Strings the wrapper cannot quote (heredocs with quotes): parse each interpolation alone.
    refs = [];
    for (const seg of templateSegments(s)) {
      if (seg.kind !== '$') continue;
      try {
        refs.push(...(await hcl.getReferencesInExpression('expr.tf', '${' + seg.body + '}')).map((r) => r.value));
      } catch (e2) {
        // unparseable interpolation: the file parsed, so this is a limitation of the wrapper
      }
    }
  }
  refCache.set(s, refs);
  return refs;
}

const fnCache = new Map();
/** Names of the functions called in a string value. */
async function functionsIn(s) {
  if (!isExpr(s)) return [];
  if (fnCache.has(s)) return fnCache.get(s);
  const names = [];
  const walk = (n) => {
    if (!n || typeof n !== 'object') return;
    if (n.type === 'function' && n.meta && n.meta.name) names.push(n.meta.name);
    (n.children || []).forEach(walk);
  };
  const parse = async (text) => {
    const quoted = text.startsWith('"') ? text : `"${text}"`;
    walk(await hcl.getExpressionAst('expr.tf', hcl.wrapTerraformExpression(quoted).wrap));
  };
  try {
    await parse(s);
  } catch (e) {
    for (const seg of templateSegments(s)) {
      if (seg.kind === '$') await parse('${' + seg.body + '}').catch(() => {});
    }
  }
  fnCache.set(s, names);
  return names;
}

/** Splits a reference such as aws_x.y."k".arn or module.m.0.out into its segments. */
function segments(ref) {
  const out = [];
  let cur = '';
  let quote = false;
  for (const c of ref) {
    if (c === '"') quote = !quote;
    if (c === '.' && !quote) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const isIndex = (seg) => /^\d+$/.test(seg) || seg.startsWith('"');

/** Calls fn(string, pathOfKeys) for every string anywhere in a parsed value. */
function eachString(value, fn, keys = []) {
  if (typeof value === 'string') fn(value, keys);
  else if (Array.isArray(value)) value.forEach((v) => eachString(v, fn, keys));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) eachString(v, fn, [...keys, k]);
  }
}

function levenshtein(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

function suggest(name, candidates) {
  let best = null;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = levenshtein(name, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

// -------------------------------------------------------------------------------- type constraints

/**
 * Parses a type constraint (object({a = optional(string, "x"), b = list(string)})) into
 * {kind, attrs?: {name: {type, optional}}, elem?}. Defaults of optional() are skipped.
 */
function parseType(text) {
  let s = text.trim();
  if (s.startsWith('${') && s.endsWith('}')) s = s.slice(2, -1);
  let i = 0;
  const ws = () => {
    while (i < s.length && /[\s,]/.test(s[i])) i++;
  };
  const ident = () => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(s.slice(i));
    if (!m) throw new Error(`type constraint: expected a name at "${s.slice(i, i + 20)}"`);
    i += m[0].length;
    return m[0];
  };
  const expect = (c) => {
    ws();
    if (s[i] !== c) throw new Error(`type constraint: expected "${c}" at "${s.slice(i, i + 20)}"`);
    i++;
  };
  const skipExpression = () => { // a default value: up to the closing parenthesis of optional(
    let depth = 0;
    let quote = false;
    for (; i < s.length; i++) {
      const c = s[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === '"') quote = false;
      } else if (c === '"') quote = true;
      else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) {
        if (depth === 0) return;
        depth--;
      }
    }
  };
  const type = () => {
    const name = ident();
    if (['string', 'number', 'bool', 'any'].includes(name)) return { kind: name };
    if (['list', 'set', 'map'].includes(name)) {
      expect('(');
      const elem = type();
      expect(')');
      return { kind: name, elem };
    }
    if (name === 'tuple') {
      expect('(');
      expect('[');
      const elems = [];
      ws();
      while (s[i] !== ']') {
        elems.push(type());
        ws();
      }
      i++;
      expect(')');
      return { kind: 'tuple', elems };
    }
    if (name === 'object') {
      expect('(');
      expect('{');
      const attrs = {};
      ws();
      while (s[i] !== '}') {
        const attr = ident();
        expect('=');
        ws();
        let optional = false;
        let t;
        if (s.startsWith('optional', i) && /^optional\s*\(/.test(s.slice(i))) {
          ident();
          expect('(');
          t = type();
          ws();
          skipExpression();
          expect(')');
          optional = true;
        } else {
          t = type();
        }
        attrs[attr] = { type: t, optional };
        ws();
      }
      i++;
      expect(')');
      return { kind: 'object', attrs };
    }
    throw new Error(`type constraint: unknown type "${name}"`);
  };
  const t = type();
  ws();
  if (i < s.length) throw new Error(`type constraint: unexpected "${s.slice(i, i + 20)}"`);
  return t;
}

/** Checks a literal value (from a .tfvars file) against a parsed type; calls err(path, message). */
function checkValueType(value, type, where, err) {
  if (value === null || value === undefined || isExpr(value) || !type) return;
  if (type.kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) {
      err(where, `expected an object with ${Object.keys(type.attrs).join(', ')}`);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      if (!type.attrs[k]) err([...where, k], `is not an attribute of this object${suggest(k, Object.keys(type.attrs))}`, 'tfvars-unknown-attribute');
      else checkValueType(v, type.attrs[k].type, [...where, k], err);
    }
    for (const [k, a] of Object.entries(type.attrs)) {
      if (!a.optional && !(k in value)) err([...where, k], 'is required (not optional) and missing', 'tfvars-missing-attribute');
    }
  } else if (type.kind === 'map') {
    if (typeof value !== 'object' || Array.isArray(value)) err(where, 'expected a map');
    else for (const [k, v] of Object.entries(value)) checkValueType(v, type.elem, [...where, k], err);
  } else if (type.kind === 'list' || type.kind === 'set') {
    if (!Array.isArray(value)) err(where, `expected a ${type.kind}`);
    else value.forEach((v, n) => checkValueType(v, type.elem, [...where, String(n)], err));
  } else if (type.kind === 'number') {
    if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) err(where, 'expected a number');
  } else if (type.kind === 'bool') {
    if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') err(where, 'expected true or false');
  } else if (type.kind === 'string') {
    if (typeof value === 'object') err(where, 'expected a string');
  }
}

// ------------------------------------------------------------------------------------- modules

/** One directory of .tf files, parsed. */
class Module {
  constructor(dir) {
    this.dir = dir;
    this.sources = {};
    this.variables = {};
    this.locals = {};
    this.outputs = {};
    this.resources = {};
    this.data = {};
    this.modules = {};
    this.providers = [];
    this.terraform = [];
    this.children = {};
  }
}

async function parseFile(file, report) {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return { text, json: await hcl.parse(file, text) };
  } catch (e) {
    // parse config: [FILE:LINE,COL-LINE,COL: Summary; Detail], and N other diagnostic(s)
    const m = /\[?([^\s[]+):(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^\]]*)\]?/.exec(e.message);
    if (m) report.error('syntax', { file, line: +m[2], col: +m[3] }, m[4].trim());
    else report.error('syntax', { file }, e.message);
    return null;
  }
}

async function loadModule(dir, report, cache) {
  const key = path.resolve(dir);
  if (cache.has(key)) return cache.get(key);
  const m = new Module(dir);
  cache.set(key, m);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return m;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  for (const f of files) {
    const file = path.join(dir, f);
    const parsed = await parseFile(file, report);
    if (!parsed) continue;
    const src = new Source(file, parsed.text);
    m.sources[file] = src;
    const j = parsed.json;
    const declare = (table, name, entry, what) => {
      if (table[name]) {
        report.error('duplicate', src.at(entry.line), `${what} "${name}" is declared twice (also in ${path.basename(table[name].src.file)})`);
      } else table[name] = entry;
    };
    // A name declared twice in one file arrives as two bodies under one key.
    const headers = (re) => src.lines.map((l, i) => (re.test(l) ? i + 1 : 0)).filter(Boolean);
    const declareAll = (table, name, bodies, re, what, extra = {}) => {
      const lines = headers(re);
      bodies.forEach((body, n) => declare(table, name, { name, body, src, line: lines[n] || lines[0] || 1, ...extra }, what));
    };
    for (const [name, bodies] of Object.entries(j.variable || {})) {
      declareAll(m.variables, name, bodies, new RegExp(`^\\s*variable\\s+"${escape(name)}"`), 'variable');
    }
    for (const [name, bodies] of Object.entries(j.output || {})) {
      declareAll(m.outputs, name, bodies, new RegExp(`^\\s*output\\s+"${escape(name)}"`), 'output');
    }
    for (const block of j.locals || []) {
      for (const [name, value] of Object.entries(block)) {
        const line = src.find(new RegExp(`^\\s*${escape(name)}\\s*=`), 1);
        declare(m.locals, name, { name, value, src, line }, 'local value');
      }
    }
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(j[kind] || {})) {
        for (const [name, bodies] of Object.entries(byName)) {
          const re = new RegExp(`^\\s*${kind}\\s+"${escape(type)}"\\s+"${escape(name)}"`);
          const table = kind === 'resource' ? m.resources : m.data;
          const lines = headers(re);
          bodies.forEach((body, n) => declare(table, `${type}.${name}`, { kind, type, name, body, src, line: lines[n] || lines[0] || 1 },
            kind === 'data' ? 'data source' : 'resource'));
        }
      }
    }
    for (const [name, bodies] of Object.entries(j.module || {})) {
      declareAll(m.modules, name, bodies, new RegExp(`^\\s*module\\s+"${escape(name)}"`), 'module');
    }
    for (const [pname, bodies] of Object.entries(j.provider || {})) {
      for (const body of bodies) m.providers.push({ name: pname, body, src, line: src.find(new RegExp(`^\\s*provider\\s+"${escape(pname)}"`)) });
    }
    for (const body of j.terraform || []) m.terraform.push({ body, src, line: src.find(/^\s*terraform\s*\{/) });
  }
  for (const call of Object.values(m.modules)) {
    const source = call.body.source;
    if (typeof source === 'string' && (source.startsWith('./') || source.startsWith('../'))) {
      const childDir = path.join(dir, source);
      if (!fs.existsSync(childDir)) {
        report.error('module-source-missing', call.src.at(call.src.member('source', call.line)),
          `module "${call.name}": source ${source} does not exist (${childDir})`);
      } else {
        m.children[call.name] = await loadModule(childDir, report, cache);
      }
    }
  }
  return m;
}

// ---------------------------------------------------------------------------------- the checker

class Checker {
  constructor(report) {
    this.report = report;
    this.checked = new Set();
    this.strings = [];
  }

  async checkModule(m) {
    if (this.checked.has(m)) return;
    this.checked.add(m);
    this.checkVariables(m);
    this.checkOutputs(m);
    this.checkVersions(m);
    for (const r of Object.values(m.resources)) await this.checkResource(m, r);
    for (const d of Object.values(m.data)) await this.checkResource(m, d);
    for (const call of Object.values(m.modules)) await this.checkModuleCall(m, call);
    for (const p of m.providers) {
      if (p.name === 'aws') this.checkBody(p.src, p.body, SCHEMA.provider, `provider "aws"`, p.line, { meta: new Set(['alias']) });
      await this.checkReferences(m, p.body, p.src, p.line, {});
      this.checkSecrets(p.body, p.src, p.line, 'provider "aws"');
    }
    for (const l of Object.values(m.locals)) await this.checkReferences(m, l.value, l.src, l.line, {});
    for (const o of Object.values(m.outputs)) await this.checkReferences(m, o.body, o.src, o.line, {});
    for (const v of Object.values(m.variables)) await this.checkReferences(m, v.body.validation || [], v.src, v.line, { selfVar: v.name });
    await this.checkS3Policies(m);
    this.checkIamPolicies(m);
    this.checkAthena(m);
    this.checkDms(m);
    for (const child of Object.values(m.children)) await this.checkModule(child);
  }

  // --- declarations

  checkVariables(m) {
    for (const v of Object.values(m.variables)) {
      const where = v.src.at(v.line);
      for (const k of Object.keys(v.body)) {
        if (!VARIABLE_KEYS.has(k)) this.report.error('unknown-argument', v.src.at(v.src.member(k, v.line)), `variable "${v.name}": unknown argument "${k}"${suggest(k, VARIABLE_KEYS)}`);
      }
      if (!('type' in v.body)) this.report.error('variable-type', where, `variable "${v.name}" has no type (every variable is typed)`);
      else {
        try {
          v.type = parseType(String(v.body.type));
        } catch (e) {
          this.report.error('variable-type', v.src.at(v.src.member('type', v.line)), `variable "${v.name}": ${e.message}`);
        }
      }
      if (!v.body.description) this.report.error('variable-description', where, `variable "${v.name}" has no description`);
      for (const val of v.body.validation || []) {
        for (const req of ['condition', 'error_message']) {
          if (!(req in val)) this.report.error('missing-required-argument', v.src.at(v.src.member('validation', v.line)), `variable "${v.name}": a validation block needs ${req}`);
        }
      }
      if (SECRET_NAME.test(v.name) && v.body.sensitive !== true) {
        this.report.error('policy-sensitive-variable', where, `variable "${v.name}" looks like a secret: mark it sensitive = true (better: read it from Secrets Manager)`);
      }
    }
  }

  checkOutputs(m) {
    for (const o of Object.values(m.outputs)) {
      for (const k of Object.keys(o.body)) {
        if (!OUTPUT_KEYS.has(k)) this.report.error('unknown-argument', o.src.at(o.src.member(k, o.line)), `output "${o.name}": unknown argument "${k}"`);
      }
      if (!('value' in o.body)) this.report.error('missing-required-argument', o.src.at(o.line), `output "${o.name}" has no value`);
      if (!o.body.description) this.report.error('output-description', o.src.at(o.line), `output "${o.name}" has no description`);
    }
  }

  checkVersions(m) {
    const usesAws = Object.values(m.resources).concat(Object.values(m.data)).some((r) => r.type.startsWith('aws_'));
    if (!usesAws) return;
    const required = m.terraform.flatMap((t) => t.body.required_providers || []);
    const aws = required.map((r) => r.aws).find(Boolean);
    const first = Object.values(m.sources)[0];
    if (!aws || typeof aws !== 'object' || aws.source !== 'hashicorp/aws') {
      this.report.error('required-providers', first ? first.at(1) : { file: m.dir }, `module ${m.dir} uses AWS resources but declares no required_providers aws = { source = "hashicorp/aws" }`);
    }
    if (!m.terraform.some((t) => t.body.required_version)) {
      this.report.error('required-version', first ? first.at(1) : { file: m.dir }, `module ${m.dir} declares no required_version`);
    }
  }

  // --- resources and data sources

  async checkResource(m, r) {
    const table = r.kind === 'resource' ? SCHEMA.resource : SCHEMA.data;
    const label = `${r.kind === 'data' ? 'data ' : ''}${r.type}.${r.name}`;
    const where = r.src.at(r.line);
    if (!r.type.startsWith('aws_')) {
      this.report.warn('unchecked-provider', where, `${label}: only AWS provider types are checked`);
    } else if (!(r.type in table)) {
      const other = r.kind === 'resource' ? SCHEMA.data : SCHEMA.resource;
      const hint = r.type in other ? ` (it is a ${r.kind === 'resource' ? 'data source' : 'resource'} type)` : suggest(r.type, Object.keys(table));
      this.report.error(r.kind === 'resource' ? 'unknown-resource-type' : 'unknown-data-source', where,
        `${r.kind === 'resource' ? 'resource' : 'data source'} type ${r.type} does not exist in AWS provider ${SCHEMA.meta.provider_version}${hint}`);
    } else {
      this.checkBody(r.src, r.body, table[r.type], label, r.line, { meta: r.kind === 'resource' ? RESOURCE_META : DATA_META,
        deprecated: new Set(REAL.deprecated[r.kind][r.type] || []), tooNew: new Set(REAL.too_new[r.kind][r.type] || []),
        path: '' });
    }
    const scope = { each: 'for_each' in r.body, count: 'count' in r.body };
    if ('count' in r.body && 'for_each' in r.body) this.report.error('count-and-for-each', where, `${label}: count and for_each cannot both be set`);
    await this.checkReferences(m, r.body, r.src, r.line, scope);
    this.checkSecrets(r.body, r.src, r.line, label);
  }

  /** Checks a block's arguments and nested blocks against a schema node, at every depth. */
  checkBody(src, body, nodeId, label, line, opts = {}) {
    if (nodeId === undefined || nodeId < 0 || !body || typeof body !== 'object' || Array.isArray(body)) return;
    const node = SCHEMA.nodes[nodeId];
    const attrs = node.a || {};
    const blocks = node.b || {};
    const present = new Set();
    const deprecated = opts.deprecated || new Set();
    const tooNew = opts.tooNew || new Set();
    const prefix = opts.path ? `${opts.path}.` : '';
    const nested = (key) => ({ deprecated, tooNew, path: prefix + key });
    for (const [key, value] of Object.entries(body)) {
      const at = src.at(src.member(key, line));
      if (opts.meta && opts.meta.has(key)) {
        if (key === 'lifecycle') this.checkLifecycle(src, value, label, at.line);
        continue;
      }
      if (key === 'dynamic' && !(key in attrs) && !(key in blocks)) {
        for (const [blockName, instances] of Object.entries(value || {})) {
          const dAt = src.at(src.find(new RegExp(`^\\s*dynamic\\s+"${escape(blockName)}"`), line));
          if (!(blockName in blocks)) {
            const hint = blockName in attrs ? ` ("${blockName}" is an argument, not a block)` : suggest(blockName, Object.keys(blocks));
            this.report.error('unknown-block', dAt, `${label}: dynamic "${blockName}": no block type "${blockName}" here${hint}`);
            continue;
          }
          present.add(blockName);
          for (const inst of instances) {
            for (const k of Object.keys(inst)) {
              if (!['for_each', 'iterator', 'labels', 'content'].includes(k)) {
                this.report.error('unknown-argument', src.at(src.member(k, dAt.line)), `${label}: dynamic "${blockName}": unknown argument "${k}" (for_each, iterator, labels, content)`);
              }
            }
            if (!('for_each' in inst)) this.report.error('missing-required-argument', dAt, `${label}: dynamic "${blockName}" needs for_each`);
            if (!inst.content) this.report.error('missing-required-block', dAt, `${label}: dynamic "${blockName}" needs a content block`);
            for (const content of inst.content || []) {
              this.checkBody(src, content, blocks[blockName][0], `${label}.${blockName}`, src.member('content', dAt.line), nested(blockName));
            }
          }
        }
        continue;
      }
      if (tooNew.has(prefix + key)) {
        this.report.error('argument-too-new', at, `${label}: "${key}" does not exist in AWS provider ${REAL.provider_version}, the oldest version the configuration allows (it is newer)`);
      }
      if (deprecated.has(prefix + key)) {
        this.report.error('deprecated-argument', at, `${label}: "${key}" is deprecated in the AWS provider (it will be removed; see its documentation for the replacement)`);
      }
      if (key in attrs) {
        present.add(key);
        this.checkLiteral(attrs[key], value, at, `${label}.${key}`);
        continue;
      }
      if (key in blocks) {
        const [child, flags] = blocks[key];
        if (!Array.isArray(value)) {
          // not a block: a required block is then missing too (as terraform reports it)
          this.report.error('block-as-argument', at, `${label}: "${key}" is a block: write ${key} { ... }, not ${key} = ...`);
          continue;
        }
        present.add(key);
        if ((flags & 2) && value.length > 1) {
          this.report.error('too-many-blocks', src.at(src.nthBlock(key, line, 1)), `${label}: at most one "${key}" block is allowed, found ${value.length}`);
        }
        value.forEach((inst, n) => this.checkBody(src, inst, child, `${label}.${key}`, src.nthBlock(key, line, n), nested(key)));
        continue;
      }
      const names = [...Object.keys(attrs), ...Object.keys(blocks)];
      const computed = node.c && node.c.includes(key) ? ` ("${key}" is read-only: computed by the provider)` : suggest(key, names);
      this.report.error(Array.isArray(value) && value.every((v) => v && typeof v === 'object') ? 'unknown-block' : 'unknown-argument', at,
        `${label}: unsupported ${Array.isArray(value) && value.every((v) => v && typeof v === 'object') ? 'block type' : 'argument'} "${key}"${computed}`);
    }
    for (const req of node.r || []) {
      if (!present.has(req)) this.report.error('missing-required-argument', src.at(line), `${label}: required argument "${req}" is missing`);
    }
    for (const [name, [, flags]] of Object.entries(blocks)) {
      if ((flags & 1) && !present.has(name)) this.report.error('missing-required-block', src.at(line), `${label}: required block "${name}" is missing`);
    }
  }

  checkLifecycle(src, value, label, line) {
    for (const lc of Array.isArray(value) ? value : [value]) {
      for (const [k, v] of Object.entries(lc || {})) {
        if (!LIFECYCLE_KEYS.has(k)) {
          this.report.error('unknown-argument', src.at(src.member(k, line)), `${label}: lifecycle: unknown argument "${k}"${suggest(k, LIFECYCLE_KEYS)}`);
        } else if (k === 'precondition' || k === 'postcondition') {
          for (const c of v) {
            for (const req of ['condition', 'error_message']) {
              if (!(req in c)) this.report.error('missing-required-argument', src.at(src.member(k, line)), `${label}: a ${k} needs ${req}`);
            }
          }
        }
      }
    }
  }

  /** A literal value of the wrong type (an expression is not checked: its type is unknown here). */
  checkLiteral(type, value, at, label) {
    if (value === null || isExpr(value)) return;
    const kind = type[0];
    const bad = (what) => this.report.error('literal-type', at, `${label}: ${what}`);
    if (kind === 's' && typeof value === 'object') bad('expected a string');
    else if (kind === 'n' && (typeof value === 'object' || typeof value === 'boolean'
      || (typeof value === 'string' && !/^-?\d+(\.\d+)?$/.test(value)))) bad(`expected a number, not ${JSON.stringify(value)}`);
    else if (kind === 'b' && (typeof value === 'object' || typeof value === 'number'
      || (typeof value === 'string' && value !== 'true' && value !== 'false'))) bad(`expected true or false, not ${JSON.stringify(value)}`);
    else if (kind === 'l' && !Array.isArray(value)) bad('expected a list');
    else if (kind === 'm' && (typeof value !== 'object' || Array.isArray(value))) bad('expected a map');
    else if (kind === 'o' && (typeof value !== 'object' || Array.isArray(value))) bad('expected an object: write it as an argument, name = { ... }, not as a block');
  }

  // --- module calls

  async checkModuleCall(m, call) {
    const where = call.src.at(call.line);
    if (!('source' in call.body)) this.report.error('missing-required-argument', where, `module "${call.name}" has no source`);
    const child = m.children[call.name];
    if (child) {
      for (const [k] of Object.entries(call.body)) {
        if (MODULE_META.has(k)) continue;
        if (!(k in child.variables)) {
          this.report.error('unknown-module-input', call.src.at(call.src.member(k, call.line)),
            `module "${call.name}": ${child.dir} has no variable "${k}"${suggest(k, Object.keys(child.variables))}`);
        }
      }
      for (const v of Object.values(child.variables)) {
        if (!('default' in v.body) && !(v.name in call.body)) {
          this.report.error('missing-module-input', where, `module "${call.name}": required input "${v.name}" (no default in ${path.basename(v.src.file)}) is not set`);
        }
      }
    }
    await this.checkReferences(m, call.body, call.src, call.line, { each: 'for_each' in call.body, count: 'count' in call.body });
    this.checkSecrets(call.body, call.src, call.line, `module "${call.name}"`);
  }

  // --- references

  /** Every var., local., module., data., resource and each./count. reference must resolve. */
  async checkReferences(m, body, src, line, scope) {
    const iterators = new Set();
    const collectIterators = (v) => {
      if (Array.isArray(v)) v.forEach(collectIterators);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'dynamic' && x && typeof x === 'object' && !Array.isArray(x)) {
            for (const [name, insts] of Object.entries(x)) {
              for (const inst of insts || []) iterators.add(typeof inst.iterator === 'string' && !isExpr(inst.iterator) ? inst.iterator : name);
            }
          }
          collectIterators(x);
        }
      }
    };
    collectIterators(body);
    const strings = [];
    eachString(body, (s, keys) => strings.push({ s, keys }));
    for (const { s, keys } of strings) {
      this.strings.push({ module: m, s });
      for (const fn of await functionsIn(s)) {
        if (!FUNCTIONS.has(fn) && !fn.includes('::')) {
          const p = src.text(`${fn}(`, line);
          this.report.error('unknown-function', src.at(p.line, p.col), `there is no function named "${fn}"${suggest(fn, FUNCTIONS)}`);
        }
      }
      for (const ref of await referencesIn(s)) {
        this.resolve(m, ref, src, line, scope, iterators, keys);
      }
    }
  }

  resolve(m, ref, src, line, scope, iterators) {
    const seg = segments(ref);
    const root = seg[0];
    const needle = seg.slice(0, root === 'data' ? 3 : 2).join('.');
    const err = (code, msg) => {
      const p = src.text(needle, line);
      this.report.error(code, src.at(p.line, p.col), msg);
    };
    switch (root) {
      case 'var':
        if (!(seg[1] in m.variables)) err('undeclared-variable', `var.${seg[1]} is not declared in ${m.dir}${suggest(seg[1], Object.keys(m.variables))}`);
        return;
      case 'local':
        if (!(seg[1] in m.locals)) err('undeclared-local', `local.${seg[1]} is not declared in ${m.dir}${suggest(seg[1], Object.keys(m.locals))}`);
        return;
      case 'module': {
        if (!(seg[1] in m.modules)) {
          err('undeclared-module', `module.${seg[1]} is not declared in ${m.dir}${suggest(seg[1], Object.keys(m.modules))}`);
          return;
        }
        const child = m.children[seg[1]];
        let i = 2;
        while (i < seg.length && isIndex(seg[i])) i++;
        if (child && i < seg.length && !(seg[i] in child.outputs)) {
          err('unknown-module-output', `module.${seg[1]} has no output "${seg[i]}" (${child.dir})${suggest(seg[i], Object.keys(child.outputs))}`);
        }
        return;
      }
      case 'data': {
        const key = `${seg[1]}.${seg[2]}`;
        if (!(key in m.data)) {
          err('undeclared-data-source', `data.${key} is not declared in ${m.dir}`);
          return;
        }
        this.checkAttribute(SCHEMA.data[seg[1]], seg.slice(3), `data.${key}`, err);
        return;
      }
      case 'each':
        if (!scope.each) err('each-without-for-each', `${ref}: each is only available in a block with for_each`);
        return;
      case 'count':
        if (!scope.count) err('count-without-count', `${ref}: count.index is only available in a block with count`);
        return;
      case 'path': case 'terraform': case 'self':
        return;
      default: {
        if (iterators.has(root)) return;
        if (seg.length < 2) {
          err('unknown-reference', `unknown name "${root}"`);
          return;
        }
        const key = `${root}.${seg[1]}`;
        if (!(key in m.resources)) {
          err('undeclared-resource', `${key} is not declared in ${m.dir} (a reference to a resource, or a misspelled name)`);
          return;
        }
        this.checkAttribute(SCHEMA.resource[root], seg.slice(2), key, err);
      }
    }
  }

  checkAttribute(nodeId, rest, label, err) {
    if (nodeId === undefined || nodeId < 0) return;
    let i = 0;
    while (i < rest.length && isIndex(rest[i])) i++;
    if (i >= rest.length) return;
    const attr = rest[i];
    const node = SCHEMA.nodes[nodeId];
    // read-only names come from the bindings' getters, whose snake_case spelling around digits is a
    // guess (checksum_crc32c vs checksum_crc_32_c): compare them without underscores
    const bare = (x) => x.replace(/_/g, '');
    if (attr === 'id' || attr in (node.a || {}) || attr in (node.b || {}) || (node.c || []).some((c) => bare(c) === bare(attr))) return;
    err('unknown-attribute', `${label} has no attribute "${attr}"${suggest(attr, [...Object.keys(node.a || {}), ...(node.c || [])])}`);
  }

  // --- policies

  /** No secret as a literal in configuration (it would sit in git and in state). */
  checkSecrets(body, src, line, label) {
    eachSecret(body, null, (key, v) => {
      if (isExpr(v)) return; // a reference, not a literal
      this.report.error('policy-plaintext-secret', src.at(src.member(key, line)), `${label}: "${key}" is a literal secret: read it from Secrets Manager (or a sensitive variable), never from the configuration`);
    });
  }

  resourcesOf(m, type) {
    return Object.values(m.resources).filter((r) => r.type === type);
  }

  /** Resources of `type` whose argument `arg` refers to resource `target` (type.name). */
  async refersTo(candidates, arg, target) {
    const out = [];
    for (const c of candidates) {
      const refs = await referencesIn(typeof c.body[arg] === 'string' ? c.body[arg] : '');
      if (refs.some((r) => r === target || r.startsWith(`${target}.`))) out.push(c);
    }
    return out;
  }

  async checkS3Policies(m) {
    {
      for (const bucket of this.resourcesOf(m, 'aws_s3_bucket')) {
        const target = `aws_s3_bucket.${bucket.name}`;
        const where = bucket.src.at(bucket.line);
        const sse = await this.refersTo(this.resourcesOf(m, 'aws_s3_bucket_server_side_encryption_configuration'), 'bucket', target);
        const algos = [];
        eachString(sse.map((s) => s.body), (s, keys) => {
          if (keys[keys.length - 1] === 'sse_algorithm') algos.push(s);
        });
        if (!sse.length) this.report.error('policy-s3-encryption', where, `${target}: no aws_s3_bucket_server_side_encryption_configuration for this bucket`);
        else if (algos.some((a) => !isExpr(a) && !SSE_ALGORITHMS.has(a))) this.report.error('policy-s3-encryption', where, `${target}: sse_algorithm must be AES256 or aws:kms`);
        const pab = await this.refersTo(this.resourcesOf(m, 'aws_s3_bucket_public_access_block'), 'bucket', target);
        const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
        if (!pab.some((p) => flags.every((f) => p.body[f] === true))) {
          this.report.error('policy-s3-public-access', where, `${target}: needs an aws_s3_bucket_public_access_block with ${flags.join(', ')} all true`);
        }
        const own = await this.refersTo(this.resourcesOf(m, 'aws_s3_bucket_ownership_controls'), 'bucket', target);
        if (!own.some((o) => blocksOf(o.body, 'rule').some((r) => r.object_ownership === 'BucketOwnerEnforced'))) {
          this.report.error('policy-s3-acl', where, `${target}: needs aws_s3_bucket_ownership_controls with object_ownership = "BucketOwnerEnforced" (ACLs disabled)`);
        }
        const ver = await this.refersTo(this.resourcesOf(m, 'aws_s3_bucket_versioning'), 'bucket', target);
        if (!ver.some((v) => blocksOf(v.body, 'versioning_configuration').some((c) => c.status === 'Enabled' || isExpr(c.status)))) {
          this.report.error('policy-s3-versioning', where, `${target}: needs aws_s3_bucket_versioning with status = "Enabled"`);
        }
        const policies = await this.refersTo(this.resourcesOf(m, 'aws_s3_bucket_policy'), 'bucket', target);
        let tls = false;
        for (const p of policies) {
          for (const ref of await referencesIn(typeof p.body.policy === 'string' ? p.body.policy : '')) {
            const seg = segments(ref);
            if (seg[0] === 'data' && seg[1] === 'aws_iam_policy_document') {
              const doc = m.data[`aws_iam_policy_document.${seg[2]}`];
              if (doc && statementsOf(doc.body).some(denyInsecureTransport)) tls = true;
            }
          }
        }
        if (!tls) {
          this.report.error('policy-s3-tls', where, `${target}: needs a bucket policy (from an aws_iam_policy_document) denying every request with aws:SecureTransport = false`);
        }
      }
    }
  }

  checkIamPolicies(m) {
    for (const doc of Object.values(m.data).filter((d) => d.type === 'aws_iam_policy_document')) {
      const label = `data.aws_iam_policy_document.${doc.name}`;
      for (const st of statementsOf(doc.body)) {
        const effect = st.effect === undefined ? 'Allow' : st.effect;
        const at = doc.src.at(st.sid && !isExpr(st.sid) ? doc.src.text(`"${st.sid}"`, doc.line).line : doc.line);
        const name = st.sid ? `statement ${st.sid}` : 'a statement';
        if (effect !== 'Allow') continue;
        if (st.not_actions) this.report.error('policy-not-actions', at, `${label}: ${name} allows not_actions (everything else)`);
        if (st.not_resources) this.report.error('policy-not-resources', at, `${label}: ${name} allows not_resources (everything else)`);
        const actions = st.actions;
        if (actions === undefined) continue;
        if (!Array.isArray(actions)) {
          this.report.warn('policy-unchecked', at, `${label}: ${name}: actions is an expression; it cannot be checked offline`);
          continue;
        }
        for (const a of actions) {
          if (typeof a === 'string' && !isExpr(a) && a.includes('*')) {
            this.report.error('policy-wildcard-action', at, `${label}: ${name} allows the wildcard action "${a}": list the actions`);
          }
        }
        const resources = Array.isArray(st.resources) ? st.resources : [];
        if (resources.some((r) => r === '*' || /^arn:[^:]*:s3:::\*$/.test(r))) {
          const broad = actions.filter((a) => !UNSCOPED_READ_ACTIONS.has(a));
          if (broad.length) {
            this.report.error('policy-wildcard-resource', at, `${label}: ${name} allows ${broad.join(', ')} on "*": name the resources`);
          }
        }
        for (const p of blocksOf(st, 'principals')) {
          const ids = Array.isArray(p.identifiers) ? p.identifiers : [];
          if (p.type === '*' || (p.type === 'AWS' && ids.includes('*'))) {
            this.report.error('policy-public-principal', at, `${label}: ${name} allows everyone (principal "*")`);
          }
        }
      }
    }
    for (const r of Object.values(m.resources)) {
      for (const arg of POLICY_ARGUMENTS[r.type] || []) {
        const v = r.body[arg];
        if (v === undefined) continue;
        if (typeof v !== 'string' || !/^\$\{data\.aws_iam_policy_document\.[A-Za-z0-9_-]+(\[[^\]]+\])?\.(json|minified_json)\}$/.test(v)) {
          this.report.error('policy-inline-document', r.src.at(r.src.member(arg, r.line)),
            `${r.type}.${r.name}: ${arg} must come from an aws_iam_policy_document data source (so it is reviewed and checked)`);
        }
      }
    }
  }

  checkAthena(m) {
    for (const wg of this.resourcesOf(m, 'aws_athena_workgroup')) {
      const where = wg.src.at(wg.line);
      const conf = blocksOf(wg.body, 'configuration')[0];
      if (!conf || conf.enforce_workgroup_configuration !== true) {
        this.report.error('policy-athena-enforce', where, `aws_athena_workgroup.${wg.name}: set configuration { enforce_workgroup_configuration = true } so clients cannot override the result location or encryption`);
      }
      const enc = conf && blocksOf(conf, 'result_configuration').some((rc) => blocksOf(rc, 'encryption_configuration').length > 0);
      if (!enc) this.report.error('policy-athena-encryption', where, `aws_athena_workgroup.${wg.name}: query results must be encrypted (result_configuration { encryption_configuration { ... } })`);
    }
  }

  /** The DMS S3 target must write what `lakehouse iceberg convert` reads (docs/convert.md). */
  checkDms(m) {
    const expect = { include_op_for_full_load: false, cdc_inserts_only: false, cdc_inserts_and_updates: false,
      preserve_transactions: false, parquet_timestamp_in_millisecond: false, date_partition_enabled: true };
    for (const ep of this.resourcesOf(m, 'aws_dms_s3_endpoint')) {
      const label = `aws_dms_s3_endpoint.${ep.name}`;
      for (const [k, want] of Object.entries(expect)) {
        const v = ep.body[k];
        const defaultOk = want === false;
        if (v === undefined ? !defaultOk : (!isExpr(v) && v !== want)) {
          this.report.error('dms-target-settings', ep.src.at(v === undefined ? ep.line : ep.src.member(k, ep.line)),
            `${label}: ${k} must be ${want} for lakehouse iceberg convert (docs/convert.md)`);
        }
      }
      for (const k of ['bucket_folder', 'timestamp_column_name', 'data_format']) {
        if (!(k in ep.body)) this.report.error('dms-target-settings', ep.src.at(ep.line), `${label}: set ${k} (docs/convert.md)`);
      }
      const fmt = ep.body.data_format;
      if (typeof fmt === 'string' && !isExpr(fmt) && !['parquet', 'csv'].includes(fmt)) {
        this.report.error('dms-target-settings', ep.src.at(ep.src.member('data_format', ep.line)), `${label}: data_format is parquet or csv`);
      }
      if (typeof ep.body.cdc_path === 'string' && ep.body.cdc_path !== '') {
        this.report.error('dms-target-settings', ep.src.at(ep.src.member('cdc_path', ep.line)), `${label}: cdc_path is for preserve_transactions, a layout convert does not read: leave it unset`);
      }
    }
    for (const ep of this.resourcesOf(m, 'aws_dms_endpoint')) {
      const label = `aws_dms_endpoint.${ep.name}`;
      if (ep.body.engine_name === 's3') this.report.error('dms-target-settings', ep.src.at(ep.line), `${label}: use aws_dms_s3_endpoint for S3 (provider 6 has no S3 settings on aws_dms_endpoint)`);
      if ('password' in ep.body) {
        this.report.error('policy-dms-password', ep.src.at(ep.src.member('password', ep.line)), `${label}: no password: give secrets_manager_arn and secrets_manager_access_role_arn (a password would be stored in the state)`);
      }
      if (ep.body.endpoint_type === 'source' && !('secrets_manager_arn' in ep.body)) {
        this.report.error('policy-dms-password', ep.src.at(ep.line), `${label}: a source endpoint reads its credentials from Secrets Manager (secrets_manager_arn)`);
      }
    }
    const replicates = this.resourcesOf(m, 'aws_dms_replication_config').concat(this.resourcesOf(m, 'aws_dms_replication_task'));
    if (replicates.length) {
      // checkModule runs this after every string of the module (locals included) went through checkReferences
      const at = replicates[0];
      const texts = this.strings.filter((x) => x.module === m).map((x) => x.s);
      if (!texts.some((s) => s.includes('$AR_H_CHANGE_SEQ')) || !texts.some((s) => s.includes('add-column'))) {
        this.report.error('dms-change-sequence', at.src.at(at.line), `${at.type}.${at.name}: the table mappings must add the change-sequence column (an add-column rule with expression $AR_H_CHANGE_SEQ) that convert orders changes by`);
      }
    }
  }
}

/** Calls fn(key, value) for every non-empty string under a secret-looking key (SECRET_NAME), at any depth. */
function eachSecret(value, key, fn) {
  if (Array.isArray(value)) value.forEach((x) => eachSecret(x, key, fn));
  else if (value && typeof value === 'object') for (const [k, x] of Object.entries(value)) eachSecret(x, k, fn);
  else if (key && SECRET_NAME.test(key) && typeof value === 'string' && value !== '') fn(key, value);
}

/** The instances of a nested block (an array in the parser's JSON; anything else: none). */
function blocksOf(body, key) {
  const v = body && body[key];
  return Array.isArray(v) ? v.filter((x) => x && typeof x === 'object') : [];
}

function statementsOf(body) {
  const out = [...blocksOf(body, 'statement')];
  const dyn = body.dynamic && typeof body.dynamic === 'object' ? body.dynamic.statement : null;
  for (const inst of Array.isArray(dyn) ? dyn : []) out.push(...blocksOf(inst, 'content'));
  return out;
}

function denyInsecureTransport(st) {
  if (st.effect !== 'Deny') return false;
  return blocksOf(st, 'condition').some((c) => c.variable === 'aws:SecureTransport' && Array.isArray(c.values)
    && c.values.map(String).includes('false'));
}

// ------------------------------------------------------------------------------------ READMEs

const BEGIN_DOCS = '<!-- BEGIN_TF_DOCS -->';
const END_DOCS = '<!-- END_TF_DOCS -->';

/** The inputs and outputs tables of a module, as terraform-docs would list them. */
function docsTables(m) {
  const cell = (t) => String(t).replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
  const code = (t) => '`' + cell(t).replace(/`/g, "'") + '`';
  const lines = ['## Inputs', '', '| Name | Description | Type | Default | Required |', '|------|-------------|------|---------|:--------:|'];
  for (const v of Object.values(m.variables).sort((a, b) => a.name.localeCompare(b.name))) {
    const type = String(v.body.type || 'any').replace(/^\$\{([\s\S]*)\}$/, '$1');
    const required = !('default' in v.body);
    const dflt = required ? 'n/a' : code(typeof v.body.default === 'string' && !isExpr(v.body.default) ? JSON.stringify(v.body.default) : JSON.stringify(v.body.default));
    lines.push(`| ${v.name} | ${cell(v.body.description || '')} | ${code(type)} | ${dflt} | ${required ? 'yes' : 'no'} |`);
  }
  lines.push('', '## Outputs', '', '| Name | Description |', '|------|-------------|');
  for (const o of Object.values(m.outputs).sort((a, b) => a.name.localeCompare(b.name))) {
    lines.push(`| ${o.name} | ${cell(o.body.description || '')} |`);
  }
  return lines.join('\n');
}

/** A module's README.md must hold its current inputs and outputs between the TF_DOCS markers. */
function checkReadme(m, report, update) {
  const file = path.join(m.dir, 'README.md');
  if (!Object.keys(m.sources).length) return;
  if (!fs.existsSync(file)) {
    report.error('readme', { file }, `module ${m.dir} has no README.md (usage, then its inputs and outputs)`);
    return;
  }
  const text = fs.readFileSync(file, 'utf8');
  const a = text.indexOf(BEGIN_DOCS);
  const b = text.indexOf(END_DOCS);
  if (a < 0 || b < a) {
    report.error('readme', { file }, `no ${BEGIN_DOCS} ... ${END_DOCS} section (inputs and outputs): run node src/test/terraform/check.js --update-readmes`);
    return;
  }
  const want = `${BEGIN_DOCS}\n${docsTables(m)}\n${END_DOCS}`;
  if (text.slice(a, b + END_DOCS.length) !== want) {
    if (update) {
      fs.writeFileSync(file, text.slice(0, a) + want + text.slice(b + END_DOCS.length));
    } else {
      const line = text.slice(0, a).split('\n').length;
      report.error('readme', { file, line }, `the inputs/outputs tables are out of date: run make tf-docs (node src/test/terraform/check.js --update-readmes ...)`);
    }
  }
}

// ------------------------------------------------------------------------------------ tfvars

async function checkVarFile(file, root, report) {
  const parsed = await parseFile(file, report);
  if (!parsed) return;
  const src = new Source(file, parsed.text);
  const values = parsed.json;
  for (const [k, v] of Object.entries(values)) {
    const at = src.at(src.find(new RegExp(`^\\s*${escape(k)}\\s*=`)));
    if (!(k in root.variables)) {
      report.error('tfvars-unknown-variable', at, `${k} is not a variable of ${root.dir}${suggest(k, Object.keys(root.variables))}`);
      continue;
    }
    const type = root.variables[k].type;
    checkValueType(v, type, [k], (where, message, code = 'tfvars-type') => {
      // a missing attribute is reported where its object starts
      const shown = code === 'tfvars-missing-attribute' ? where.slice(0, -1) : where;
      const leaf = shown[shown.length - 1];
      const line = shown.length > 1 ? src.member(leaf, at.line) : at.line;
      report.error(code, src.at(line), `${where.join('.')}: ${message}`);
    });
    eachSecret(v, k, (key) => {
      report.error('policy-plaintext-secret', src.at(src.member(key, at.line)), `${key}: a secret in a tfvars file (checked into git): use Secrets Manager`);
    });
  }
  for (const v of Object.values(root.variables)) {
    if (!('default' in v.body) && !(v.name in values)) {
      report.error('tfvars-missing-variable', src.at(1), `${v.name} has no default and is not set here (required by ${path.basename(v.src.file)})`);
    }
  }
}

// ------------------------------------------------------------------------------------- main

function outputKeys(root) {
  const out = {};
  for (const o of Object.values(root.outputs)) {
    const v = o.body.value;
    out[o.name] = v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).sort() : null;
  }
  return out;
}

function usage(msg) {
  console.error(`check.js: ${msg}\nusage: node check.js --root DIR [--var-file FILE ...] [--root DIR ...] [--json] [--update-readmes] [--no-readmes]`);
  process.exit(2);
}

async function main(argv) {
  const roots = [];
  let json = false;
  let updateReadmes = false;
  let readmes = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--update-readmes') updateReadmes = true;
    else if (a === '--no-readmes') readmes = false;
    else if (a === '--root') roots.push({ dir: argv[++i] || usage('--root needs a directory'), varFiles: [] });
    else if (a === '--var-file') {
      if (!roots.length) usage('--var-file belongs to the --root before it');
      roots[roots.length - 1].varFiles.push(argv[++i] || usage('--var-file needs a file'));
    } else if (!a.startsWith('-')) roots.push({ dir: a, varFiles: [] });
    else usage(`unknown option ${a}`);
  }
  if (!roots.length) usage('no --root given');
  const report = new Report();
  const cache = new Map();
  const checker = new Checker(report);
  const outputs = {};
  let files = 0;
  for (const r of roots) {
    if (!fs.existsSync(r.dir)) usage(`${r.dir} does not exist`);
    const m = await loadModule(r.dir, report, cache);
    await checker.checkModule(m);
    for (const f of r.varFiles) {
      if (!fs.existsSync(f)) report.error('tfvars-missing-file', { file: f }, 'no such file');
      else await checkVarFile(f, m, report);
    }
    outputs[r.dir] = outputKeys(m);
  }
  if (readmes) for (const m of cache.values()) checkReadme(m, report, updateReadmes);
  for (const m of cache.values()) files += Object.keys(m.sources).length;
  const order = (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code);
  report.errors.sort(order);
  report.warnings.sort(order);
  if (json) {
    process.stdout.write(JSON.stringify({ provider: SCHEMA.meta.provider_version, files, errors: report.errors,
      warnings: report.warnings, outputs }, null, 2) + '\n');
  } else {
    for (const e of report.errors) console.log(`${e.file}:${e.line}:${e.col}: error [${e.code}] ${e.message}`);
    for (const w of report.warnings) console.log(`${w.file}:${w.line}:${w.col}: warning [${w.code}] ${w.message}`);
    console.log(`${report.errors.length} error(s), ${report.warnings.length} warning(s) in ${files} file(s) of ${cache.size} module(s)`
      + ` (AWS provider schema ${SCHEMA.meta.provider_version})`);
  }
  return report.errors.length ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    console.error(`check.js: ${e.stack || e}`);
    process.exit(2);
  });
}

module.exports = { main, parseType };
