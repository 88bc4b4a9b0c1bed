// SPDX-License-Identifier: Apache-2.0
/**
 * Reads every kernel's contract out of src/kernel_names.ts (its name, the
 * Inputs type, the Attrs interface and the tags of the name's doc comment)
 * and renders KERNELS.md from it, so the documentation cannot drift from the
 * code: test/kernel_contracts.test.ts checks that the file is current.
 *
 *   npm run kernels:md      # rewrites KERNELS.md
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export const KERNEL_NAMES_PATH = path.join(__dirname, '..', 'src', 'kernel_names.ts');
export const KERNELS_MD_PATH = path.join(__dirname, '..', 'KERNELS.md');

export interface TensorContract {
  name: string;
  dtype: string;
  optional: boolean;
  /** Shape and meaning, as the tag states them. */
  description: string;
}

export interface AttrContract {
  name: string;
  /** The TypeScript type, as written. */
  type: string;
  description: string;
  /** What the package's op passes when the caller gives nothing ('' for none). */
  default: string;
}

/** One documented call: input shapes, attributes and the output shapes it returns. */
export interface KernelExample {
  inputs: Record<string, number[]>;
  attrs: Record<string, unknown>;
  outputShapes: number[][];
}

export interface KernelContract {
  name: string;
  summary: string;
  /** Input names of the Inputs type, with whether each is optional. */
  inputKeys: Array<{name: string, optional: boolean}>;
  inputs: TensorContract[];
  outputs: TensorContract[];
  attrs: AttrContract[];
  /** The backward kernel tf.grad runs, with any note; 'none' for backward kernels. */
  gradient: string;
  example: KernelExample;
}

function docComment(node: ts.Node): string {
  const docs = (node as {jsDoc?: ts.JSDoc[]}).jsDoc ?? [];
  return docs.map(d => ts.getTextOfJSDocComment(d.comment) ?? '').join(' ').replace(/\s+/g, ' ').trim();
}

function tags(node: ts.Node): Array<{tag: string, text: string}> {
  return ts.getJSDocTags(node).map(t => ({
    tag: t.tagName.text,
    text: (ts.getTextOfJSDocComment(t.comment) ?? '').replace(/\s+/g, ' ').trim(),
  }));
}

/** `x float32 (optional): shape` -> a tensor contract. */
function tensorTag(text: string, where: string): TensorContract {
  const m = /^(\w+) (\w+)( \(optional\))?: (.+)$/.exec(text);
  if (m == null) {
    throw new Error(`${where}: expected '@input|@output <name> <dtype>[ (optional)]: <shape>', got '${text}'`);
  }
  return {name: m[1], dtype: m[2], optional: m[3] != null, description: m[4]};
}

/**
 * The string-literal keys of Pick<NamedTensorInfoMap, ...> (inside Partial<> they are optional);
 * `aliases` resolves another kernel's Inputs type named instead.
 */
function pickedKeys(
    type: ts.TypeNode, aliases: Map<string, ts.TypeAliasDeclaration>,
    optional = false): Array<{name: string, optional: boolean}> {
  if (ts.isIntersectionTypeNode(type)) {
    return type.types.flatMap(t => pickedKeys(t, aliases, optional));
  }
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    const args = type.typeArguments ?? [];
    if (name === 'Partial') {
      return pickedKeys(args[0], aliases, true);
    }
    if (name === 'Pick') {
      return pickedKeys(args[1], aliases, optional);
    }
    const alias = aliases.get(name);
    if (alias != null && args.length === 0) {
      return pickedKeys(alias.type, aliases, optional);
    }
  }
  if (ts.isUnionTypeNode(type)) {
    return type.types.flatMap(t => pickedKeys(t, aliases, optional));
  }
  if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) {
    return [{name: type.literal.text, optional}];
  }
  throw new Error(`kernel_names.ts: unexpected Inputs type '${type.getText()}'`);
}

/** The interface's own members, then those of the interfaces it extends (`interfaces` by name). */
function attrsOf(
    decl: ts.InterfaceDeclaration, interfaces: Map<string, ts.InterfaceDeclaration>):
    AttrContract[] {
  const inherited = (decl.heritageClauses ?? []).flatMap(h => h.types).map(t => {
    const base = interfaces.get(t.expression.getText());
    if (base == null) {
      throw new Error(`kernel_names.ts: ${decl.name.text} extends '${t.getText()}', not an interface there`);
    }
    return attrsOf(base, interfaces);
  });
  return [...ownAttrs(decl), ...inherited.flat()];
}

function ownAttrs(decl: ts.InterfaceDeclaration): AttrContract[] {
  return decl.members.filter(ts.isPropertySignature).map(member => {
    const defaultTag = tags(member).find(t => t.tag === 'default');
    return {
      name: member.name.getText(),
      type: member.type?.getText() ?? 'unknown',
      description: docComment(member),
      default: defaultTag?.text ?? '',
    };
  });
}

export function readKernelContracts(file = KERNEL_NAMES_PATH): KernelContract[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2019, true);
  const names: ts.VariableStatement[] = [];
  const aliases = new Map<string, ts.TypeAliasDeclaration>();
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      names.push(statement);
    } else if (ts.isTypeAliasDeclaration(statement)) {
      aliases.set(statement.name.text, statement);
    } else if (ts.isInterfaceDeclaration(statement)) {
      interfaces.set(statement.name.text, statement);
    }
  }
  const resolveAttrs = (typeName: string): ts.InterfaceDeclaration|undefined => {
    const alias = aliases.get(typeName);
    return alias != null ? resolveAttrs(alias.type.getText()) : interfaces.get(typeName);
  };
  const contracts = new Map<string, KernelContract>();
  return names.map(statement => {
    const name = statement.declarationList.declarations[0].name.getText();
    const where = `kernel_names.ts: ${name}`;
    const inputsAlias = aliases.get(`${name}Inputs`);
    const attrs = resolveAttrs(`${name}Attrs`);
    if (inputsAlias == null || attrs == null) {
      throw new Error(`${where} needs a ${name}Inputs type and a ${name}Attrs interface (or alias)`);
    }
    const all = tags(statement);
    const gradient = all.filter(t => t.tag === 'gradient');
    const example = all.filter(t => t.tag === 'example');
    if (gradient.length !== 1 || example.length !== 1) {
      throw new Error(`${where} needs exactly one @gradient and one @example tag`);
    }
    // `@inputs MsOther`: the same inputs as a kernel documented above.
    const inputsOf = all.find(t => t.tag === 'inputs');
    const sameInputs = inputsOf == null ? null : contracts.get(inputsOf.text);
    if (inputsOf != null && sameInputs == null) {
      throw new Error(`${where}: @inputs names '${inputsOf.text}', not a kernel documented above`);
    }
    const contract: KernelContract = {
      name,
      summary: docComment(statement),
      inputKeys: pickedKeys(inputsAlias.type, aliases),
      inputs: sameInputs?.inputs ??
          all.filter(t => t.tag === 'input').map(t => tensorTag(t.text, where)),
      outputs: all.filter(t => t.tag === 'output').map(t => tensorTag(t.text, where)),
      attrs: attrsOf(attrs, interfaces),
      gradient: gradient[0].text,
      example: JSON.parse(example[0].text) as KernelExample,
    };
    contracts.set(name, contract);
    return contract;
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function tensorList(tensors: TensorContract[]): string {
  return tensors
      .map(t => `\`${t.name}\` ${t.dtype}${t.optional ? ' (optional)' : ''}: ${cell(t.description)}`)
      .join('<br>');
}

function attrList(attrs: AttrContract[]): string {
  if (attrs.length === 0) {
    return 'none';
  }
  return attrs
      .map(a => `\`${a.name}\`: \`${cell(a.type)}\`` +
               `${a.default !== '' ? ` (op default ${cell(a.default)})` : ''}` +
               `${a.description !== '' ? `. ${cell(a.description)}` : ''}`)
      .join('<br>');
}

function exampleText(e: KernelExample, outputs: TensorContract[]): string {
  const shape = (s: number[]) => `[${s.join(', ')}]`;
  const ins = Object.entries(e.inputs).map(([k, s]) => `${k} ${shape(s)}`).join(', ');
  const outs = e.outputShapes.map((s, i) => `${outputs[i]?.name ?? '?'} ${shape(s)}`).join(', ');
  const attrs = JSON.stringify(e.attrs).replace(/"/g, '').replace(/,/g, ', ').replace(/:/g, ': ');
  return `${ins} with \`${attrs}\` → ${outs}`;
}

export function renderKernelsMarkdown(contracts: KernelContract[]): string {
  const lines = [
    '# Kernels',
    '',
    '<!-- Generated from src/kernel_names.ts by `npm run kernels:md`; test/kernel_contracts.test.ts',
    '     checks that it is current. Edit the doc comments there, not this file. -->',
    '',
    'Every kernel of the package, as `tf.engine().runKernel(name, inputs, attrs)` takes it. All',
    'inputs and outputs are float32; a kernel with several outputs returns them as an array in the',
    'order listed. Kernels assume valid arguments (the ops validate); the attribute defaults are',
    'those the package\'s ops pass. Backends: cpu, wasm, webgl and webgpu natively, any other',
    'through the fallback kernels composed of tf ops.',
    '',
    '| kernel | what | inputs | attributes | outputs | gradient | example |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of contracts) {
    lines.push(`| \`${c.name}\` | ${cell(c.summary)} | ${tensorList(c.inputs)} | ${attrList(c.attrs)} | ` +
               `${tensorList(c.outputs)} | ${cell(c.gradient)} | ${cell(exampleText(c.example, c.outputs))} |`);
  }
  return lines.join('\n') + '\n';
}

if (require.main === module) {
  fs.writeFileSync(KERNELS_MD_PATH, renderKernelsMarkdown(readKernelContracts()));
  console.log(`wrote ${path.relative(process.cwd(), KERNELS_MD_PATH)}`);
}
