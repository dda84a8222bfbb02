import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/__testfixtures__/**",
      "test/fixtures/**",
      "test/e2e/fixtures/**",
      "sdk/test/fixtures/**",
      "**/.work/**",
      "**/.venv/**",
      "docs-corpus/api/**",
      "coverage/**",
      ".governor/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Engines never import front ends.
    files: [
      "core/**",
      "hooks/**",
      "codemods/**",
      "enforce-mock/**",
      "docs-corpus/src/**",
      "sdk/**",
      "templates/**",
      "proxy/**",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/cli/**", "**/mcp-server/**"],
              message: "Engines never import front ends (cli/, mcp-server/).",
            },
          ],
        },
      ],
    },
  },
);
