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

const CI_VARIABLES = ["CI", "CONTINUOUS_INTEGRATION"] as const;
let ui: Promise<[typeof import("ink"), typeof import("./components.js"), typeof import("react")]> | undefined;

/**
 * Loads ink, the components and React once. Ink decides when it is first imported whether to draw
 * interactively, and with `CI` set it prints only the last frame: a prompt nobody can see. Prompts
 * mount only with a terminal on stdin (a person answering), so ink is loaded as interactive and
 * the environment is put back as it was for everything else (the commands the wizard runs).
 */
function loadUi(): NonNullable<typeof ui> {
  if (ui) return ui;
  const saved = CI_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of CI_VARIABLES) process.env[name] = "false";
  ui = Promise.all([import("ink"), import("./components.js"), import("react")]).finally(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  return ui;
}

async function mount<T>(
  build: (
    resolve: (value: T) => void,
    cancel: () => void,
    components: typeof import("./components.js"),
    createElement: typeof import("react").createElement,
  ) => import("react").ReactElement,
): Promise<T> {
  assertTty();
  const [{ render }, components, { createElement }] = await loadUi();
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
        components,
        createElement,
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
  return mount<T>((onSubmit, onCancel, { Select }, createElement) =>
    createElement(Select<T>, { ...options, onSubmit, onCancel }),
  );
}

/** Asks for any number of `choices`. */
export async function renderMultiSelect<T extends string>(options: {
  message: string;
  choices: readonly Choice<T>[];
  initial?: readonly T[];
}): Promise<T[]> {
  return mount<T[]>((onSubmit, onCancel, { MultiSelect }, createElement) =>
    createElement(MultiSelect<T>, { ...options, onSubmit, onCancel }),
  );
}

/** Asks for a line of text; empty means skip. */
export async function renderTextPrompt(options: { message: string; placeholder?: string }): Promise<string> {
  return mount<string>((onSubmit, onCancel, { TextPrompt }, createElement) =>
    createElement(TextPrompt, { ...options, onSubmit, onCancel }),
  );
}

/** Shows each file's diff and returns the paths the user turned off. */
export async function renderDiffReview(files: readonly ReviewFile[]): Promise<string[]> {
  return mount<string[]>((onSubmit, onCancel, { DiffReview }, createElement) =>
    createElement(DiffReview, { files, onSubmit, onCancel }),
  );
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
