// The engine validator's diagnostics for a programme it refused, in plain language: where in the
// file (the JSON pointer, line and column) and what was expected there.
import type { Diagnostic } from '../programme/plan';

/** "At /scenes/intro/duration (line 12, column 19)", or "In the file as a whole". */
function where(d: Diagnostic): string {
  const place = d.pointer === '' ? 'In the file as a whole' : `At ${d.pointer}`;
  if (d.line <= 0) return place;
  return `${place} (line ${d.line}${d.column > 0 ? `, column ${d.column}` : ''})`;
}

export function ProgrammeDiagnostics({ file, diagnostics }: { file?: string | undefined; diagnostics: readonly Diagnostic[] }) {
  if (diagnostics.length === 0) return null;
  return (
    <ul className="programme-diagnostics" aria-label={file ? `Problems in ${file}` : 'Problems in the programme'}>
      {diagnostics.map((d, index) => (
        <li key={`${index}-${d.pointer}`}>
          <span className="diagnostic-where">{where(d)}:</span> {d.message}
        </li>
      ))}
    </ul>
  );
}
