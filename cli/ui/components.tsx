/**
 * The wizard's ink components. Private to the CLI: the rest of the code calls the plain functions
 * in `prompts.ts` (renderSelect, renderMultiSelect, …), never these components directly, so a
 * headless run and the tests share the same flow.
 */
import { Box, Text, useApp, useInput } from "ink";
import { useEffect, useRef, useState, type ReactElement } from "react";

/** One option of a select. */
export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

/** Thrown (via onCancel) when the user presses Ctrl-C or Esc in a prompt. */
export class PromptCancelled extends Error {
  constructor() {
    super("Cancelled.");
    this.name = "PromptCancelled";
  }
}

/**
 * State mirrored in a ref: key handlers read the ref, so several keys arriving before React
 * re-renders (fast typing, pasted input, tests) still see each other's updates.
 */
function useStateRef<T>(initial: T): [T, (update: (previous: T) => T) => T, { readonly current: T }] {
  const ref = useRef(initial);
  const [value, setValue] = useState(initial);
  const set = (update: (previous: T) => T): T => {
    ref.current = update(ref.current);
    setValue(ref.current);
    return ref.current;
  };
  return [value, set, ref];
}

/** Unmounts once the final frame (with the answer) has rendered. */
function useExitWhenDone(done: boolean): void {
  const { exit } = useApp();
  useEffect(() => {
    if (done) exit();
  }, [done, exit]);
}

function useCancel(onCancel: () => void): void {
  useInput((input, key) => {
    if ((key.ctrl && input === "c") || key.escape) onCancel();
  });
}

/** The line a prompt leaves behind once answered: `✔ <question> <answer>`. */
function Answered(props: { message: string; answer: string }) {
  return (
    <Text>
      <Text color="green">✔ </Text>
      {props.message} <Text color="cyan">{props.answer}</Text>
    </Text>
  );
}

/** A single-choice list: ↑/↓ to move, Enter to choose. */
export function Select<T extends string>(props: {
  message: string;
  choices: readonly Choice<T>[];
  initial?: T;
  onSubmit: (value: T) => void;
  onCancel: () => void;
}): ReactElement {
  const start = Math.max(
    0,
    props.choices.findIndex((c) => c.value === props.initial),
  );
  const [index, setIndex, indexRef] = useStateRef(start);
  const [done, setDone, doneRef] = useStateRef(false);
  useExitWhenDone(done);
  useCancel(props.onCancel);
  useInput((_input, key) => {
    if (doneRef.current) return;
    if (key.upArrow) setIndex((i) => (i - 1 + props.choices.length) % props.choices.length);
    else if (key.downArrow) setIndex((i) => (i + 1) % props.choices.length);
    else if (key.return) {
      setDone(() => true);
      props.onSubmit(props.choices[indexRef.current]!.value);
    }
  });
  if (done) {
    return <Answered message={props.message} answer={props.choices[index]!.label} />;
  }
  return (
    <Box flexDirection="column">
      <Text bold>? {props.message}</Text>
      {props.choices.map((c, i) => (
        <Text key={c.value}>
          <Text color={i === index ? "cyan" : undefined}>
            {i === index ? "❯ " : "  "}
            {c.label}
          </Text>
          {/* Only the highlighted choice's hint, so long explanations don't bury the list. */}
          {c.hint && i === index ? <Text dimColor> — {c.hint}</Text> : null}
        </Text>
      ))}
      <Text dimColor>↑/↓ move · enter choose · esc cancel</Text>
    </Box>
  );
}

/** A multiple-choice list: space toggles, `a` toggles all, Enter submits. */
export function MultiSelect<T extends string>(props: {
  message: string;
  choices: readonly Choice<T>[];
  initial?: readonly T[];
  onSubmit: (values: T[]) => void;
  onCancel: () => void;
}): ReactElement {
  const [index, setIndex, indexRef] = useStateRef(0);
  const [selected, setSelected, selectedRef] = useStateRef<ReadonlySet<T>>(new Set(props.initial ?? []));
  const [done, setDone, doneRef] = useStateRef(false);
  useExitWhenDone(done);
  useCancel(props.onCancel);
  useInput((input, key) => {
    if (doneRef.current) return;
    if (key.upArrow) setIndex((i) => (i - 1 + props.choices.length) % props.choices.length);
    else if (key.downArrow) setIndex((i) => (i + 1) % props.choices.length);
    else if (input === " ") {
      const value = props.choices[indexRef.current]!.value;
      setSelected((s) => {
        const next = new Set(s);
        if (next.has(value)) next.delete(value);
        else next.add(value);
        return next;
      });
    } else if (input === "a") {
      setSelected((s) => (s.size === props.choices.length ? new Set() : new Set(props.choices.map((c) => c.value))));
    } else if (key.return) {
      setDone(() => true);
      props.onSubmit(props.choices.filter((c) => selectedRef.current.has(c.value)).map((c) => c.value));
    }
  });
  if (done) {
    const labels = props.choices.filter((c) => selected.has(c.value)).map((c) => c.label);
    return <Answered message={props.message} answer={labels.length > 0 ? labels.join(", ") : "none"} />;
  }
  return (
    <Box flexDirection="column">
      <Text bold>? {props.message}</Text>
      {props.choices.map((c, i) => (
        <Text key={c.value}>
          <Text color={i === index ? "cyan" : undefined}>
            {i === index ? "❯ " : "  "}
            {selected.has(c.value) ? "◉ " : "◯ "}
            {c.label}
          </Text>
          {c.hint ? <Text dimColor> {c.hint}</Text> : null}
        </Text>
      ))}
      <Text dimColor>space toggle · a all/none · enter confirm · esc cancel</Text>
    </Box>
  );
}

/** A one-line text input; Enter submits (an empty answer is allowed: it means skip). */
export function TextPrompt(props: {
  message: string;
  placeholder?: string;
  onSubmit: (value: string) => void;
  onCancel: () => void;
}): ReactElement {
  const [value, setValue, valueRef] = useStateRef("");
  const [done, setDone, doneRef] = useStateRef(false);
  useExitWhenDone(done);
  useCancel(props.onCancel);
  useInput((input, key) => {
    if (doneRef.current || (key.ctrl && input === "c") || key.escape) return;
    if (key.return) {
      setDone(() => true);
      props.onSubmit(valueRef.current.trim());
    } else if (key.backspace || key.delete) setValue((v) => v.slice(0, -1));
    else if (!key.ctrl && !key.meta && input) setValue((v) => v + input);
  });
  if (done) {
    return <Answered message={props.message} answer={value.trim() || "skipped"} />;
  }
  return (
    <Box flexDirection="column">
      <Text bold>? {props.message}</Text>
      <Text>
        {"❯ "}
        {value === "" && props.placeholder ? <Text dimColor>{props.placeholder}</Text> : value}
        <Text inverse> </Text>
      </Text>
    </Box>
  );
}

/** One file of a diff review. */
export interface ReviewFile {
  path: string;
  diff: string;
  edits: ReadonlyArray<{ line: number; description: string; siteId?: string }>;
}

function diffLineColor(line: string): string | undefined {
  if (line.startsWith("+") && !line.startsWith("+++")) return "green";
  if (line.startsWith("-") && !line.startsWith("---")) return "red";
  if (line.startsWith("@@")) return "cyan";
  return undefined;
}

function toggle(set: ReadonlySet<string>, value: string): Set<string> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/**
 * Reviews changes one file at a time: shows the file's edits and diff. ←/→ (or n/p) move between
 * files, space turns the whole file off/on, ↑/↓ pick an edit and x turns that site off/on, Enter
 * accepts. Submits the file paths and site ids turned off.
 */
export function DiffReview(props: {
  files: readonly ReviewFile[];
  maxDiffLines?: number;
  onSubmit: (excluded: string[]) => void;
  onCancel: () => void;
}): ReactElement {
  const [index, setIndex, indexRef] = useStateRef(0);
  const [editIndex, setEditIndex, editIndexRef] = useStateRef(0);
  const [excluded, setExcluded, excludedRef] = useStateRef<ReadonlySet<string>>(new Set());
  const [done, setDone, doneRef] = useStateRef(false);
  useExitWhenDone(done);
  useCancel(props.onCancel);
  const count = props.files.length;
  const file = props.files[index];
  useInput((input, key) => {
    const current = props.files[indexRef.current];
    if (doneRef.current || !current) return;
    if (key.rightArrow || input === "n") {
      setIndex((i) => Math.min(count - 1, i + 1));
      setEditIndex(() => 0);
    } else if (key.leftArrow || input === "p") {
      setIndex((i) => Math.max(0, i - 1));
      setEditIndex(() => 0);
    } else if (key.downArrow) setEditIndex((i) => Math.min(Math.max(0, current.edits.length - 1), i + 1));
    else if (key.upArrow) setEditIndex((i) => Math.max(0, i - 1));
    else if (input === " ") setExcluded((s) => toggle(s, current.path));
    else if (input === "x") {
      const site = current.edits[editIndexRef.current]?.siteId;
      if (site) setExcluded((s) => toggle(s, site));
    } else if (key.return) {
      setDone(() => true);
      props.onSubmit([...excludedRef.current]);
    }
  });
  if (done || !file) {
    const files = props.files.filter((f) => excluded.has(f.path)).length;
    const sites = excluded.size - files;
    return (
      <Text>
        <Text color="green">✔ </Text>
        Reviewed {count} file(s): {count - files} kept
        {files > 0 ? `, ${files} file(s) turned off` : ""}
        {sites > 0 ? `, ${sites} site(s) turned off` : ""}
      </Text>
    );
  }
  const lines = file.diff.split("\n").filter((l) => !l.startsWith("====") && l !== "");
  const max = props.maxDiffLines ?? 30;
  const off = excluded.has(file.path);
  return (
    <Box flexDirection="column">
      <Text bold>
        ? Review changes — file {index + 1}/{count}: <Text color={off ? "gray" : "cyan"}>{file.path}</Text>
        {off ? <Text color="yellow"> (off: will not be changed)</Text> : null}
      </Text>
      {file.edits.map((e, i) => {
        const siteOff = e.siteId !== undefined && excluded.has(e.siteId);
        return (
          <Text key={i} color={siteOff || off ? "gray" : undefined}>
            {i === editIndex ? "❯ " : "  "}
            {siteOff ? "◯ " : "◉ "}L{e.line} {e.description}
            {siteOff ? <Text color="yellow"> (off)</Text> : null}
          </Text>
        );
      })}
      <Box flexDirection="column" marginLeft={2}>
        {lines.slice(0, max).map((l, i) => (
          <Text key={i} color={off ? "gray" : diffLineColor(l)}>
            {l}
          </Text>
        ))}
        {lines.length > max ? <Text dimColor>… {lines.length - max} more line(s)</Text> : null}
      </Box>
      <Text dimColor>←/→ files · space file off/on · ↑/↓ edit · x edit off/on · enter apply · esc cancel</Text>
    </Box>
  );
}

/** A line with a spinner-like marker for a running step, replaced by ✔ when done. */
export function Progress(props: { label: string; done: boolean; detail?: string }): ReactElement {
  return (
    <Text>
      {props.done ? <Text color="green">✔ </Text> : <Text color="yellow">… </Text>}
      {props.label}
      {props.detail ? <Text dimColor> {props.detail}</Text> : null}
    </Text>
  );
}
