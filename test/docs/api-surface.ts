/**
 * The public surface of one entry point, as text: every export with its kind
 * and type, every member of every exported class and interface with its
 * type. Read by the compiler from the source entry, so a move inside `src/`
 * or `compat/` leaves it unchanged while a renamed, dropped or retyped
 * export changes it.
 */
import ts from 'typescript';

const flags =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseFullyQualifiedType |
  ts.TypeFormatFlags.WriteArrowStyleSignature;

/** Fully qualified names carry the file they came from: keep only the name. */
function unqualify(text: string): string {
  return text.replace(/import\("[^"]*"\)\./g, '').replace(/"[^"]*\/(src|compat)\/[^"]*"\./g, '');
}

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.ValueModule) return 'namespace';
  if (f & ts.SymbolFlags.Variable) return 'const';
  return 'other';
}

/** Marked `@internal` in its TSDoc: reachable in the types, promised to nobody. */
function isInternal(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((d) =>
    ts.getJSDocTags(d).some((tag) => tag.tagName.text === 'internal'),
  );
}

function members(checker: ts.TypeChecker, type: ts.Type, at: ts.Node, indent: string): string[] {
  return (
    checker
      .getPropertiesOfType(type)
      // Private (#) and @internal members are no surface.
      .filter((p) => !p.getName().startsWith('#') && !isInternal(p))
      .map((p) => {
        const t = checker.getTypeOfSymbolAtLocation(p, at);
        const optional = p.flags & ts.SymbolFlags.Optional ? '?' : '';
        // A symbol key prints as `__@name@<id>`, the id varying from build to build.
        const name = p.getName().replace(/^__@([^@]+)@\d+$/, '[$1]');
        return `${indent}${name}${optional}: ${unqualify(checker.typeToString(t, at, flags))}`;
      })
      .sort()
  );
}

/** The surface of `entry` (a path to a `.ts` file), one line per fact, sorted. */
export function apiSurface(entry: string, tsconfig: string): string {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error(`cannot read ${tsconfig}`);
  const program = ts.createProgram([entry], config.options);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (source === undefined) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${entry} is not a module`);
  const blocks: string[][] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const out: string[] = [];
    blocks.push(out);
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const name = exported.getName();
    const kind = kindOf(symbol);
    if (kind === 'interface' || kind === 'type') {
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      // An alias prints as its own name: its declared text is what it means.
      const declaration = symbol.declarations?.find(ts.isTypeAliasDeclaration);
      const text =
        declaration !== undefined
          ? declaration.type.getText().replace(/\s+/g, ' ')
          : checker.typeToString(type, source, flags);
      const parameters = declaration?.typeParameters?.map((p) => p.getText()).join(', ');
      const generic = parameters === undefined ? '' : `<${parameters}>`;
      out.push(`${kind} ${name}${generic} = ${unqualify(text)}`);
      if (kind === 'interface') out.push(...members(checker, type, source, `  ${name}.`));
      continue;
    }
    const type = checker.getTypeOfSymbolAtLocation(symbol, source);
    if (kind === 'namespace') {
      out.push(`namespace ${name}`, ...members(checker, type, source, `  ${name}.`));
      continue;
    }
    out.push(`${kind} ${name}: ${unqualify(checker.typeToString(type, source, flags))}`);
    if (kind === 'class') {
      out.push(...members(checker, checker.getDeclaredTypeOfSymbol(symbol), source, `  ${name}#`));
      out.push(
        ...members(checker, type, source, `  ${name}.`).filter((l) => !l.endsWith('.prototype')),
      );
    } else if (kind === 'const' && type.flags & ts.TypeFlags.Object) {
      out.push(...members(checker, type, source, `  ${name}.`));
    }
  }
  blocks.sort((a, b) =>
    ((a[0] ?? '').split(/[ :]/)[1] ?? '').localeCompare((b[0] ?? '').split(/[ :]/)[1] ?? ''),
  );
  return blocks.map((b) => b.join('\n')).join('\n') + '\n';
}
