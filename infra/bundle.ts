import type { BuildOptions } from 'esbuild'

/**
 * How every Lambda function is bundled: the esbuild options `npm run build` and `npm run bench:cold`
 * use, and that `infra/function.ts` turns into SST's `nodejs` settings, so what is measured is what
 * is deployed. ESM, for top-level await and static imports; `module` before `main`, so packages with
 * an ESM build are tree-shaken; the `createRequire` banner lets the CommonJS dependencies that still
 * call `require` (the AWS SDK's, Powertools') run inside an ESM bundle.
 *
 * `@aws-sdk/*` is bundled, not left to the runtime's copy: measured with `npm run bench:cold
 * -- --sdk=external`, resolving the SDK's hundreds of files from `node_modules` made both the API
 * and the floor ~25 ms slower to answer than loading a minified, tree-shaken bundle, and the
 * deployed code runs the SDK version the tests ran, not whichever the runtime ships that week.
 */
export const lambdaBundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  treeShaking: true,
  mainFields: ['module', 'main'],
  /**
   * Dynamic imports become chunks loaded on first use: the SDK's credential providers and the
   * OpenAPI generator's schema converters stay off the cold start. Measured (`npm run bench:cold
   * -- --no-splitting`): ~25 ms faster to first response for the API and the floor alike.
   */
  splitting: true,
  /** Error classes name themselves after their class (`new.target.name`), and logs show that name. */
  keepNames: true,
  legalComments: 'none',
  sourcemap: false,
  /**
   * Left out of every bundle:
   * - `zod/v4/core`, imported by name only by the OpenAPI generator's default zod converter,
   *   `import('zod/v4/core')`, a namespace import that would pull all of zod (~400 KB with its
   *   locales) into the cold start. The app hands the generator zod's `toJSONSchema` instead
   *   (`api/routes/openapi-document.ts`), so this import never runs; zod's own modules import each other by
   *   relative path and are bundled as usual.
   * - nothing else: `@aws-sdk/*` is bundled (see above).
   */
  external: ['zod/v4/core'] as string[],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
} as const satisfies BuildOptions
