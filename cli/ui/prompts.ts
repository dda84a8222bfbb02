/**
 * Plain functions over the wizard's ink components (Shopify CLI style): each mounts a component,
 * resolves with the answer, and unmounts. Ink and React load on first use, never for `--help`.
 */
import type { Choice, ReviewFile } from "./components.js";
import { ErrorCodes, GovernorInitError } from "../../core/errors.js";

export type { Choice, ReviewFile };

/** Thrown when a prompt is cancelled (Ctrl-C / Esc); the CLI exits 130 without changing anything. */
export class WizardCancelled extends GovernorInitError {
  /** Set when the integration had already been applied (fully) before the cancel. */
  afterApply = false;
  constructor() {
    super(ErrorCodes.INVALID_INPUT, "Cancelled.");
  }
}

function assertTty(): void {
  if (!process.stdin.isTTY) {
    throw new GovernorInitError(ErrorCodes.NO_TTY, "This step needs an answer, and there is no terminal to ask in.", {
      suggestion: "Pass the step's flag (see governor-init --help), or --yes to accept the defaults.",
    });
  }
}

async function mount<T>(
  build: (resolve: (value: T) => void, cancel: () => void) => import("react").ReactElement,
): Promise<T> {
  assertTty();
  const { render } = await import("ink");
  return new Promise<T>((resolve, reject) => {
    let answer: { value: T } | undefined;
    let cancelled = false;
    const instance = render(
      build(
        (value) => {
          answer = { value };
        },
        () => {
          if (answer || cancelled) return;
          cancelled = true;
          instance.unmount();
        },
      ),
      // Ctrl-C is a cancel answer (handled by the component), so the process is never cut mid-step.
      { exitOnCtrlC: false },
    );
    // Settle only once ink has unmounted: ink reuses a live instance per stdout, so the next prompt
    // would otherwise overwrite this one's final frame.
    void instance.waitUntilExit().then(() => (answer ? resolve(answer.value) : reject(new WizardCancelled())), reject);
  });
}

/** Asks for one of `choices`. */
export async function renderSelect<T extends string>(options: {
  message: string;
  choices: readonly Choice<T>[];
  initial?: T;
}): Promise<T> {
  const [{ Select }, { createElement }] = await Promise.all([import("./components.js"), import("react")]);
  return mount<T>((onSubmit, onCancel) => createElement(Select<T>, { ...options, onSubmit, onCancel }));
}

/** Asks for any number of `choices`. */
export async function renderMultiSelect<T extends string>(options: {
  message: string;
  choices: readonly Choice<T>[];
  initial?: readonly T[];
}): Promise<T[]> {
  const [{ MultiSelect }, { createElement }] = await Promise.all([import("./components.js"), import("react")]);
  return mount<T[]>((onSubmit, onCancel) => createElement(MultiSelect<T>, { ...options, onSubmit, onCancel }));
}

/** Asks for a line of text; empty means skip. */
export async function renderTextPrompt(options: { message: string; placeholder?: string }): Promise<string> {
  const [{ TextPrompt }, { createElement }] = await Promise.all([import("./components.js"), import("react")]);
  return mount<string>((onSubmit, onCancel) => createElement(TextPrompt, { ...options, onSubmit, onCancel }));
}

/** Shows each file's diff and returns the paths the user turned off. */
export async function renderDiffReview(files: readonly ReviewFile[]): Promise<string[]> {
  const [{ DiffReview }, { createElement }] = await Promise.all([import("./components.js"), import("react")]);
  return mount<string[]>((onSubmit, onCancel) => createElement(DiffReview, { files, onSubmit, onCancel }));
}

/** Yes/no. */
export async function confirm(options: { message: string; initial?: boolean }): Promise<boolean> {
  const answer = await renderSelect({
    message: options.message,
    choices: [
      { value: "yes", label: "Yes" },
      { value: "no", label: "No" },
    ],
    initial: options.initial === false ? "no" : "yes",
  });
  return answer === "yes";
}
