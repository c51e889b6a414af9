import type { Locale } from '@pendamping/core/i18n'
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'

/** Picks the Bahasa Indonesia or English text of a page string. */
export type Tr = (id: string, en: string) => string

export const translator =
  (locale: Locale): Tr =>
  (id, en) =>
    locale === 'en' ? en : id

/**
 * One small stylesheet, inlined: no extra request on a slow connection, and the CSP allows inline
 * styles but nothing from elsewhere. Colours keep at least 4.5:1 against their background.
 */
const CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fff}
header,main,footer{max-width:40rem;margin:auto;padding:.75rem 1rem}
header{border-bottom:3px solid #0b5394;display:flex;justify-content:space-between;align-items:center;gap:1rem}
header a{font-weight:700;color:#0b5394;text-decoration:none}
footer{font-size:.9rem;color:#444;border-top:1px solid #ccc;margin-top:2rem}
h1{font-size:1.5rem;line-height:1.25;margin:1rem 0}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:#0b5394}
label,legend{display:block;font-weight:600;margin:1rem 0 .25rem}
fieldset{border:1px solid #bbb;border-radius:6px;margin:1rem 0;padding:.25rem .75rem .75rem}
legend{padding:0 .25rem;margin:0}
fieldset label{font-weight:400;margin:.4rem 0;display:flex;gap:.5rem;align-items:flex-start}
input[type=text],input[type=tel],input[type=email],input[type=number],select,textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #666;border-radius:6px;background:#fff;color:#1b1b1b}
input[type=checkbox],input[type=radio]{width:1.25rem;height:1.25rem;margin:.15rem 0 0;flex:none}
textarea{min-height:6rem}
:focus-visible{outline:3px solid #c25400;outline-offset:2px}
.hint{color:#444;font-size:.9rem;margin:.15rem 0}
.err{color:#a4001d;font-weight:600;margin:.25rem 0}
[aria-invalid=true]{border-color:#a4001d;border-width:2px}
.summary{border:2px solid #a4001d;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.summary h2{margin:.25rem 0;color:#a4001d}
.note{background:#eef4fb;border-left:4px solid #0b5394;padding:.5rem 1rem;margin:1rem 0}
.ok{background:#eaf6ec;border-left:4px solid #1e6b30;padding:.5rem 1rem;margin:1rem 0}
button,.btn{display:inline-block;font:inherit;font-weight:600;padding:.65rem 1.1rem;border-radius:6px;border:2px solid #0b5394;background:#0b5394;color:#fff;cursor:pointer;text-decoration:none;margin:.5rem .5rem .5rem 0}
button.alt,.btn.alt{background:#fff;color:#0b5394}
button.danger{background:#a4001d;border-color:#a4001d}
.row{display:flex;gap:.5rem;flex-wrap:wrap;align-items:flex-end}
.row>*{flex:1 1 12rem}
.link{word-break:break-all;font-family:ui-monospace,monospace;font-size:.9rem;background:#f3f3f3;padding:.5rem;border-radius:4px}
dl{margin:.5rem 0}dt{font-weight:600}dd{margin:0 0 .5rem}
ul.plain{padding-left:1.2rem}`

export interface LayoutProps {
  locale: Locale
  title: string
  children: Child
  /** The page in the other language, when there is one. */
  other?: string | undefined
}

/** Every page's frame: language, viewport for phones, the inline stylesheet, the privacy link. */
export function Layout({ locale, title, children, other }: LayoutProps) {
  const tr = translator(locale)
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · Pendamping`}</title>
          <style dangerouslySetInnerHTML={{ __html: CSS }} />
        </head>
        <body>
          <header>
            <a href={locale === 'en' ? '/en/request' : '/minta-pendampingan'}>Pendamping</a>
            {other ? (
              <a href={other} lang={locale === 'en' ? 'id' : 'en'}>
                {locale === 'en' ? 'Bahasa Indonesia' : 'English'}
              </a>
            ) : null}
          </header>
          <main id="isi">{children}</main>
          <footer>
            <a href={locale === 'en' ? '/en/privacy' : '/privasi'}>
              {tr('Pemberitahuan privasi', 'Privacy notice')}
            </a>
            {' · '}
            <a href={locale === 'en' ? '/daftar-mentor?lang=en' : '/daftar-mentor'}>
              {tr('Jadi mentor', 'Become a mentor')}
            </a>
            {' · '}
            <a href={locale === 'en' ? '/masuk?lang=en' : '/masuk'}>{tr('Masuk mentor', 'Mentor sign-in')}</a>
          </footer>
        </body>
      </html>
    </>
  )
}
