/**
 * The spec editor (CodeMirror 6): JSON with completion and hover docs driven by the spec's JSON Schema
 * (@ganforge/core's specSchema, through codemirror-json-schema), and inline errors that are exactly what
 * `ganforge validate` reports — the same code, JSON path and line:col — not a second validator's opinion.
 */
import { json, jsonLanguage } from '@codemirror/lang-json';
import { linter, setDiagnostics, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { EditorView, hoverTooltip } from '@codemirror/view';
import { specSchema } from '@ganforge/core';
import { basicSetup } from 'codemirror';
import { jsonCompletion, jsonSchemaHover, stateExtensions } from 'codemirror-json-schema';

export interface SpecDiagnostic {
  code: string;
  message: string;
  path?: string;
  line?: number;
  column?: number;
  hint?: string;
}

export interface Editor {
  view: EditorView;
  getText(): string;
  setText(text: string): void;
  showDiagnostics(diagnostics: SpecDiagnostic[]): void;
}

/** A 1-based line:col as a document offset (the whole first line when unlocated). */
function offsetOf(doc: Text, line?: number, column?: number): { from: number; to: number } {
  if (line === undefined) return { from: 0, to: doc.line(1).to };
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  const from = Math.min(l.to, l.from + Math.max(0, (column ?? 1) - 1));
  // Underline the token that starts there (a key, a value), at least one character.
  const rest = doc.sliceString(from, l.to);
  const token = /^("(?:[^"\\]|\\.)*"|[^\s,}\]]+)/.exec(rest)?.[0].length ?? 1;
  return { from, to: Math.min(l.to, from + Math.max(1, token)) };
}

export function createEditor(parent: HTMLElement, onChange: () => void): Editor {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: '',
      extensions: [
        basicSetup,
        json(),
        jsonLanguage.data.of({ autocomplete: jsonCompletion() }),
        hoverTooltip(jsonSchemaHover()),
        stateExtensions(specSchema as never),
        // The lint gutter and panel; diagnostics come from the core's validator (setDiagnostics below).
        linter(null),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          clearTimeout(timer);
          timer = setTimeout(onChange, 250);
        }),
        EditorView.theme({ '&': { height: '440px', border: '1px solid #ccc' }, '.cm-scroller': { fontFamily: 'ui-monospace, monospace', fontSize: '12px' } }),
      ],
    }),
  });
  return {
    view,
    getText: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    showDiagnostics(diagnostics) {
      const doc = view.state.doc;
      const marks: LintDiagnostic[] = diagnostics.map((d) => ({
        ...offsetOf(doc, d.line, d.column),
        severity: 'error',
        source: d.code,
        message: `${d.code}${d.path ? ` at ${d.path}` : ''}: ${d.message}${d.hint ? `\nhint: ${d.hint}` : ''}`,
      }));
      view.dispatch(setDiagnostics(view.state, marks));
    },
  };
}
