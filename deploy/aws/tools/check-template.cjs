#!/usr/bin/env node
// Checks CloudFormation templates against the current resource specification (npm @aws-cdk/aws-service-spec),
// offline: resource types, property names and nesting, required properties, literal value types and enums,
// GetAtt attribute names, Ref/GetAtt/DependsOn/Condition targets, and that nothing unconditional depends on a
// conditional resource. Usage: node check-template.cjs TEMPLATE.json...  Exit 0 when clean, 1 with findings.
'use strict';
const fs = require('fs');
const { loadAwsServiceSpecSync } = require('@aws-cdk/aws-service-spec');

const db = loadAwsServiceSpecSync();
const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region',
  'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

function isCustom(type) {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

function intrinsic(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) return keys[0];
  return undefined;
}

function checkTemplate(file) {
  const findings = [];
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  const resources = template.Resources || {};
  const parameters = template.Parameters || {};
  const conditions = template.Conditions || {};
  const mappings = template.Mappings || {};
  const specs = {};

  for (const [id, res] of Object.entries(resources)) {
    if (isCustom(res.Type)) continue;
    const found = db.lookup('resource', 'cloudFormationType', 'equals', res.Type);
    if (found.length !== 1) {
      findings.push(`${id}: unknown resource type ${res.Type}`);
      continue;
    }
    specs[id] = found[0];
  }

  // Intrinsics anywhere in the template: their targets must exist.
  function walkIntrinsics(value, where, resourceCondition) {
    if (Array.isArray(value)) { value.forEach((v, i) => walkIntrinsics(v, `${where}.${i}`, resourceCondition)); return; }
    if (value === null || typeof value !== 'object') return;
    const fn = intrinsic(value);
    if (fn === 'Ref') {
      const target = value.Ref;
      if (!(target in resources) && !(target in parameters) && !PSEUDO.has(target)) {
        findings.push(`${where}: Ref to unknown ${target}`);
      }
    } else if (fn === 'Fn::GetAtt') {
      const [target, attr] = Array.isArray(value['Fn::GetAtt']) ? value['Fn::GetAtt'] : value['Fn::GetAtt'].split('.', 2);
      if (!(target in resources)) {
        findings.push(`${where}: GetAtt of unknown resource ${target}`);
      } else if (specs[target] && typeof attr === 'string' && !(attr in specs[target].attributes)) {
        findings.push(`${where}: ${resources[target].Type} has no attribute ${attr}`);
      }
    } else if (fn === 'Fn::If') {
      if (!(value['Fn::If'][0] in conditions)) findings.push(`${where}: Fn::If on unknown condition ${value['Fn::If'][0]}`);
    } else if (fn === 'Condition') {
      if (!(value.Condition in conditions)) findings.push(`${where}: unknown condition ${value.Condition}`);
    } else if (fn === 'Fn::FindInMap') {
      if (typeof value['Fn::FindInMap'][0] === 'string' && !(value['Fn::FindInMap'][0] in mappings)) {
        findings.push(`${where}: FindInMap on unknown mapping ${value['Fn::FindInMap'][0]}`);
      }
    }
    for (const [k, v] of Object.entries(value)) walkIntrinsics(v, `${where}.${k}`, resourceCondition);
  }

  function typeName(t) {
    if (t.type === 'ref') return db.get('typeDefinition', t.reference.$ref).name;
    if (t.type === 'array' || t.type === 'map') return `${t.type}<${typeName(t.element)}>`;
    if (t.type === 'union') return t.types.map(typeName).join('|');
    return t.type;
  }

  // Returns a list of problems for value against the spec type (empty = fits).
  function fit(value, type, where) {
    const fn = intrinsic(value);
    if (fn === 'Fn::If') {
      const [, yes, no] = value['Fn::If'];
      return [...branch(yes, type, `${where}[if]`), ...branch(no, type, `${where}[else]`)];
    }
    if (fn) return []; // resolved at deploy time
    switch (type.type) {
      case 'string':
        if (typeof value !== 'string') return [`${where}: expected string, got ${JSON.stringify(value)}`];
        if (type.allowedValues && !type.allowedValues.includes(value)) {
          return [`${where}: ${value} is not one of ${type.allowedValues.join(', ')}`];
        }
        return [];
      case 'number':
        return typeof value === 'number' || (typeof value === 'string' && value !== '' && !isNaN(Number(value)))
          ? [] : [`${where}: expected number, got ${JSON.stringify(value)}`];
      case 'integer':
        return Number.isInteger(typeof value === 'string' ? Number(value) : value)
          ? [] : [`${where}: expected integer, got ${JSON.stringify(value)}`];
      case 'boolean':
        return typeof value === 'boolean' || value === 'true' || value === 'false'
          ? [] : [`${where}: expected boolean, got ${JSON.stringify(value)}`];
      case 'json':
        return typeof value === 'object' ? [] : [`${where}: expected a JSON object`];
      case 'date-time':
      case 'null':
        return [];
      case 'tag':
        return isObject(value) && 'Key' in value && 'Value' in value ? [] : [`${where}: expected a tag {Key, Value}`];
      case 'array':
        if (!Array.isArray(value)) return [`${where}: expected ${typeName(type)}`];
        return value.flatMap((v, i) => fit(v, type.element, `${where}.${i}`));
      case 'map':
        if (!isObject(value)) return [`${where}: expected ${typeName(type)}`];
        return Object.entries(value).flatMap(([k, v]) => fit(v, type.element, `${where}.${k}`));
      case 'union': {
        const results = type.types.map((t) => fit(value, t, where));
        return results.some((r) => r.length === 0) ? [] : results.sort((a, b) => a.length - b.length)[0];
      }
      case 'ref': {
        const def = db.get('typeDefinition', type.reference.$ref);
        if (!isObject(value)) return [`${where}: expected ${def.name} (an object)`];
        return properties(value, def.properties, where);
      }
      default:
        return [`${where}: unhandled spec type ${type.type}`];
    }
  }

  function branch(value, type, where) {
    if (isObject(value) && value.Ref === 'AWS::NoValue') return [];
    return fit(value, type, where);
  }

  function properties(values, spec, where) {
    const problems = [];
    for (const [name, value] of Object.entries(values)) {
      if (!(name in spec)) {
        problems.push(`${where}: unknown property ${name}`);
        continue;
      }
      problems.push(...fit(value, spec[name].type, `${where}.${name}`));
    }
    for (const [name, prop] of Object.entries(spec)) {
      if (prop.required && !(name in values)) problems.push(`${where}: required property ${name} missing`);
    }
    return problems;
  }

  for (const [id, res] of Object.entries(resources)) {
    walkIntrinsics(res, id, res.Condition);
    if (res.Condition && !(res.Condition in conditions)) findings.push(`${id}: unknown condition ${res.Condition}`);
    for (const dep of [].concat(res.DependsOn || [])) {
      if (!(dep in resources)) {
        findings.push(`${id}: DependsOn unknown ${dep}`);
      } else if (resources[dep].Condition && resources[dep].Condition !== res.Condition) {
        findings.push(`${id}: DependsOn ${dep}, which exists only under condition ${resources[dep].Condition}`);
      }
    }
    const spec = specs[id];
    if (!spec) continue;
    findings.push(...properties(res.Properties || {}, spec.properties, `${id} (${res.Type})`));
  }
  walkIntrinsics(template.Outputs || {}, 'Outputs');
  walkIntrinsics(template.Conditions || {}, 'Conditions');
  return findings;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

let failed = false;
for (const file of process.argv.slice(2)) {
  const findings = checkTemplate(file);
  const count = Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).Resources || {}).length;
  if (findings.length === 0) {
    console.log(`OK ${file}: ${count} resources match the CloudFormation resource specification`);
  } else {
    failed = true;
    console.log(`FAIL ${file}: ${findings.length} finding(s)`);
    for (const f of findings) console.log(`  ${f}`);
  }
}
process.exit(failed ? 1 : 0);
