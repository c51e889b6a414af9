import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import {
  bakedBadge,
  type CertificateAuthority,
  CertificateInfo,
  type CertificateItem,
  CertificateListQuery,
  CertificatePage,
  CREDENTIAL_MEDIA_TYPE,
  certificateView,
  getCertificate,
  issuerProfileOf,
  keySetUrl,
  LanguageQuery,
  listCertificatesInRegion,
  listCertificatesOf,
  RegionCertificateQuery,
  RevokeInput,
  renderCertificatePdf,
  revokeCertificate,
  signedStatusList,
} from '@pendamping/core/certificate'
import { openParticipant } from '@pendamping/core/class'
import { PAGE_DEFAULT } from '@pendamping/core/dynamo'
import { NotFoundError } from '@pendamping/core/errors'
import type { Locale } from '@pendamping/core/i18n'
import { currentMentorId } from '@pendamping/core/mentor'
import { openRequest } from '@pendamping/core/request'
import { systemClock } from '@pendamping/core/store'
import { type Context, Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as z from 'zod/mini'
import { configuredCertificateAuthority } from '../../certificates.ts'
import { UnknownCertificatePage, VerificationPage } from '../../pages/certificates.tsx'
import { pageLocale } from '../../pages/common.ts'
import type { AppEnv } from '../env.ts'
import { trackingTokenOf } from '../middleware/owner.ts'
import { mentorOnly, staffOnly } from '../middleware/roles.ts'
import { validate } from '../validation.ts'
import { IdParam, json, problems, type RouteDependencies } from './shared.ts'

/** What the certificate routes need beyond the store: who signs, under which public URL. */
export interface CertificateDependencies extends RouteDependencies {
  certificates?: CertificateAuthority | undefined
}

const tags = ['Certificates']
const bearer = [{ bearer: [] }]
const ListId = z.strictObject({
  listId: z.string().check(z.maxLength(26), z.regex(/^[a-z0-9.]{2,20}-\d{4}$/, 'field.invalid')),
})
const Thumbprint = z.strictObject({
  thumbprint: z.string().check(z.maxLength(43), z.regex(/^[A-Za-z0-9_-]{43}$/, 'field.invalid')),
})
const IssuerParam = z.strictObject({
  region: z.string().check(z.maxLength(13), z.regex(/^(nasional|[\d.]{2,13})$/, 'field.invalid')),
})

const localeOf = (lang: string | undefined, c: Context<AppEnv>): Locale =>
  lang === 'en' || lang === 'id' ? lang : (c.var.locale ?? 'id')

/**
 * E-certificates: the public verification pages and downloads (PDF, credential, baked badge), the
 * holders' lists, staff revocation, and what any Open Badges verifier needs (keys, issuer profiles,
 * status lists). The PDF and badge libraries load only when one is rendered.
 */
export function certificateRoutes(deps: CertificateDependencies) {
  const clock = deps.clock ?? systemClock
  const authority = async () => deps.certificates ?? (await configuredCertificateAuthority())
  const views = async (items: readonly CertificateItem[], locale: Locale) => {
    const { baseUrl } = await authority()
    return items.map((item) => certificateView(item, baseUrl, locale))
  }
  const noIndex = (c: Context<AppEnv>) => {
    // A certificate names a person: reachable by its link, never listed by search engines.
    c.header('x-robots-tag', 'noindex')
    c.header('cache-control', 'no-cache')
  }

  const page = async (c: Context<AppEnv>, id: string, locale: Locale) => {
    noIndex(c)
    const { baseUrl } = await authority()
    let certificate: CertificateItem
    try {
      certificate = await getCertificate(deps.store, id)
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error
      return c.html(<UnknownCertificatePage locale={locale} />, 404)
    }
    const other = locale === 'en' ? `/sertifikat/${id}` : `/en/certificate/${id}`
    return c.html(
      <VerificationPage
        certificate={certificateView(certificate, baseUrl, locale)}
        locale={locale}
        other={other}
      />,
    )
  }

  return new Hono<AppEnv>()
    .get('/sertifikat/:id', validate('param', IdParam), (c) =>
      page(c, c.req.valid('param').id, pageLocale(c, 'id')),
    )
    .get('/en/certificate/:id', validate('param', IdParam), (c) => page(c, c.req.valid('param').id, 'en'))
    .get(
      '/v1/certificates/:id',
      describeRoute({
        summary: 'Verify a certificate: valid or revoked, and what it shows',
        tags,
        responses: { 200: json(CertificateInfo, 'The certificate'), ...problems(400, 404) },
      }),
      validate('param', IdParam),
      validate('query', LanguageQuery),
      async (c) => {
        noIndex(c)
        const certificate = await getCertificate(deps.store, c.req.valid('param').id)
        const [view] = await views([certificate], localeOf(c.req.valid('query').lang, c))
        return c.json(view)
      },
    )
    .get(
      '/v1/certificates/:id/pdf',
      describeRoute({
        summary: 'The certificate as a PDF (A4 landscape; `?lang=en` for English)',
        tags,
        responses: {
          200: { description: 'The PDF', content: { 'application/pdf': {} } },
          ...problems(400, 404),
        },
      }),
      validate('param', IdParam),
      validate('query', LanguageQuery),
      async (c) => {
        const certificate = await getCertificate(deps.store, c.req.valid('param').id)
        const locale = localeOf(c.req.valid('query').lang, c)
        const pdf = await renderCertificatePdf(certificate, { baseUrl: (await authority()).baseUrl, locale })
        noIndex(c)
        return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
          'content-type': 'application/pdf',
          'content-disposition': `attachment; filename="sertifikat-${certificate.number.replace(/\W+/g, '-')}.pdf"`,
        })
      },
    )
    .get(
      '/v1/certificates/:id/credential',
      describeRoute({
        summary: 'The Open Badges 3.0 credential of a certificate (VC-JWT)',
        tags,
        responses: {
          200: { description: 'The signed credential', content: { [CREDENTIAL_MEDIA_TYPE]: {} } },
          ...problems(400, 404),
        },
      }),
      validate('param', IdParam),
      async (c) => {
        const certificate = await getCertificate(deps.store, c.req.valid('param').id)
        noIndex(c)
        return c.body(certificate.credential, 200, {
          'content-type': CREDENTIAL_MEDIA_TYPE,
          'content-disposition': `attachment; filename="${certificate.id}.jwt"`,
        })
      },
    )
    .get(
      '/v1/certificates/:id/badge.png',
      describeRoute({
        summary: 'The certificate as an Open Badges image (PNG with the credential baked in)',
        tags,
        responses: {
          200: { description: 'The baked badge', content: { 'image/png': {} } },
          ...problems(400, 404),
        },
      }),
      validate('param', IdParam),
      async (c) => {
        const certificate = await getCertificate(deps.store, c.req.valid('param').id)
        const png = await bakedBadge((await authority()).baseUrl, certificate)
        noIndex(c)
        return c.body(new Uint8Array(png), 200, {
          'content-type': 'image/png',
          'content-disposition': `attachment; filename="${certificate.id}.png"`,
        })
      },
    )
    .post(
      '/v1/certificates/:id/revoke',
      describeRoute({
        summary: 'Revoke a certificate with a reason category',
        description: 'Staff of the issuing region (admins for national certificates). Revoking twice is 409.',
        tags,
        security: bearer,
        responses: {
          200: json(CertificateInfo, 'The revoked certificate'),
          ...problems(400, 401, 403, 404, 409),
        },
      }),
      staffOnly,
      validate('param', IdParam),
      validate('json', RevokeInput),
      async (c) => {
        const revoked = await revokeCertificate(
          deps.store,
          clock,
          c.req.valid('param').id,
          c.req.valid('json').reason,
        )
        const [view] = await views([revoked], c.var.locale)
        return c.json(view)
      },
    )
    .get(
      '/v1/certificates',
      describeRoute({
        summary: 'Certificates issued in your region',
        tags,
        security: bearer,
        responses: { 200: json(CertificatePage, 'One page of certificates'), ...problems(400, 401, 403) },
      }),
      staffOnly,
      validate('query', RegionCertificateQuery),
      async (c) => {
        const query = c.req.valid('query')
        const page = await listCertificatesInRegion(deps.store, query.region, {
          limit: query.limit ?? PAGE_DEFAULT,
          cursor: query.cursor,
        })
        return c.json({
          items: await views(page.items, localeOf(query.lang, c)),
          nextCursor: page.nextCursor,
        })
      },
    )
    .get(
      '/v1/me/certificates',
      describeRoute({
        summary: 'Your certificates (classes taught, mentoring given), newest first',
        tags,
        security: bearer,
        responses: {
          200: json(CertificatePage, 'One page of certificates'),
          ...problems(400, 401, 403, 404),
        },
      }),
      mentorOnly,
      validate('query', CertificateListQuery),
      async (c) => {
        const query = c.req.valid('query')
        const mentorId = await currentMentorId(deps.store)
        const page = await listCertificatesOf(
          deps.store,
          { kind: 'mentor', id: mentorId },
          { limit: query.limit ?? PAGE_DEFAULT, cursor: query.cursor },
        )
        return c.json({
          items: await views(page.items, localeOf(query.lang, c)),
          nextCursor: page.nextCursor,
        })
      },
    )
    .get(
      '/v1/requests/:id/certificates',
      describeRoute({
        summary: 'The certificate of mentoring of a request',
        description: 'Its owner (tracking token in `X-Tracking-Token`) or staff of its region.',
        tags,
        security: [{ trackingToken: [] }, { bearer: [] }],
        responses: {
          200: json(CertificatePage, 'One page of certificates'),
          ...problems(400, 401, 403, 404),
        },
      }),
      validate('param', IdParam),
      validate('query', CertificateListQuery),
      async (c) => {
        const { id } = c.req.valid('param')
        const query = c.req.valid('query')
        await openRequest(deps.store, id, trackingTokenOf(c), { staff: true })
        c.header('cache-control', 'no-store')
        c.header('referrer-policy', 'no-referrer')
        const page = await listCertificatesOf(
          deps.store,
          { kind: 'owner', id },
          { limit: query.limit ?? PAGE_DEFAULT, cursor: query.cursor },
        )
        return c.json({
          items: await views(page.items, localeOf(query.lang, c)),
          nextCursor: page.nextCursor,
        })
      },
    )
    .get(
      '/v1/participants/:id/certificates',
      describeRoute({
        summary: 'A participant’s certificates of the classes they completed',
        description: 'The participant, with the token of their private link in `X-Tracking-Token`.',
        tags,
        security: [{ trackingToken: [] }, { bearer: [] }],
        responses: { 200: json(CertificatePage, 'One page of certificates'), ...problems(400, 404) },
      }),
      validate('param', IdParam),
      validate('query', CertificateListQuery),
      async (c) => {
        const { id } = c.req.valid('param')
        const query = c.req.valid('query')
        await openParticipant(deps.store, id, trackingTokenOf(c))
        c.header('cache-control', 'no-store')
        c.header('referrer-policy', 'no-referrer')
        const page = await listCertificatesOf(
          deps.store,
          { kind: 'participant', id },
          { limit: query.limit ?? PAGE_DEFAULT, cursor: query.cursor },
        )
        return c.json({
          items: await views(page.items, localeOf(query.lang, c)),
          nextCursor: page.nextCursor,
        })
      },
    )
    .get(
      '/v1/status-lists/:listId',
      describeRoute({
        summary: 'A Bitstring Status List credential (revocations), signed as a VC-JWT',
        tags,
        responses: {
          200: { description: 'The BitstringStatusListCredential', content: { [CREDENTIAL_MEDIA_TYPE]: {} } },
          ...problems(400, 404),
        },
      }),
      validate('param', ListId),
      async (c) => {
        const jwt = await signedStatusList(deps.store, clock, await authority(), c.req.valid('param').listId)
        c.header('cache-control', 'public, max-age=300')
        return c.body(jwt, 200, { 'content-type': CREDENTIAL_MEDIA_TYPE })
      },
    )
    .get(
      '/.well-known/openbadges-keys.json',
      describeRoute({
        summary: 'The public keys certificates are signed with (JWKS), each with its signing window',
        tags,
        responses: { 200: { description: 'The key set', content: { 'application/jwk-set+json': {} } } },
      }),
      async (c) => {
        const { baseUrl, keys } = await authority()
        c.header('cache-control', 'public, max-age=3600')
        return c.body(JSON.stringify({ keys: keys.published(baseUrl) }), 200, {
          'content-type': 'application/jwk-set+json',
        })
      },
    )
    .get(
      '/openbadges/keys/:thumbprint',
      describeRoute({
        summary: 'One signing key (the `kid` of a credential’s header is its URL)',
        tags,
        responses: {
          200: { description: 'The JWK', content: { 'application/jwk+json': {} } },
          ...problems(400, 404),
        },
      }),
      validate('param', Thumbprint),
      async (c) => {
        const { baseUrl, keys } = await authority()
        const key = keys
          .published(baseUrl)
          .find((published) => published.kid.endsWith(`/${c.req.valid('param').thumbprint}`))
        if (!key) throw new NotFoundError('No such key')
        c.header('cache-control', 'public, max-age=3600')
        c.header('link', `<${keySetUrl(baseUrl)}>; rel="jwks"`)
        return c.body(JSON.stringify(key), 200, { 'content-type': 'application/jwk+json' })
      },
    )
    .get(
      '/openbadges/issuers/:region',
      describeRoute({
        summary: 'The Open Badges profile of an issuing office (`nasional` for national certificates)',
        tags,
        responses: {
          200: { description: 'The issuer profile', content: { 'application/json': {} } },
          ...problems(400, 404),
        },
      }),
      validate('param', IssuerParam),
      async (c) => {
        const { baseUrl } = await authority()
        c.header('cache-control', 'public, max-age=3600')
        return c.json(issuerProfileOf(baseUrl, c.req.valid('param').region))
      },
    )
}
