import '../platform.ts' // first: the cold path stays one chunk (api/platform.ts)
import { openParticipant } from '@pendamping/core/class'
import { negotiateLocale } from '@pendamping/core/i18n'
import {
  ConsentInput,
  changeParticipantConsent,
  changeRequestConsent,
  eraseOwnMentorData,
  eraseParticipant,
  exportMentor,
  exportOwner,
  exportParticipant,
  MentorErasureInput,
  type PersonExport,
} from '@pendamping/core/privacy'
import { systemClock } from '@pendamping/core/store'
import { type Context, Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as z from 'zod/mini'
import { ExportPage } from '../../pages/export.tsx'
import type { AppEnv } from '../env.ts'
import { formBody } from '../middleware/form.ts'
import { ownerRoute, trackingTokenOf } from '../middleware/owner.ts'
import { mentorOnly } from '../middleware/roles.ts'
import { validate } from '../validation.ts'
import { IdParam, json, problems, type RouteDependencies } from './shared.ts'

const owner = [{ trackingToken: [] }]
const mentor = [{ bearer: [] }]
const tags = ['Your data (UU PDP)']

/** `?format=html` (or a browser's `Accept`) asks for the readable page instead of the JSON file. */
const ExportQuery = z.object({ format: z.optional(z.enum(['json', 'html'])) })

const Export = z.looseObject({ exportedAt: z.string(), person: z.enum(['owner', 'participant', 'mentor']) })
const ConsentState = z.object({
  purposes: z.record(z.string(), z.boolean()),
  noticeVersion: z.string(),
  history: z.array(
    z.object({ purpose: z.string(), given: z.boolean(), noticeVersion: z.string(), at: z.string() }),
  ),
})

function answerExport(c: Context<AppEnv>, data: PersonExport, name: string) {
  const wantsPage =
    c.req.query('format') === 'html' ||
    (c.req.query('format') !== 'json' && (c.req.header('accept') ?? '').includes('text/html'))
  if (wantsPage)
    return c.html(
      <ExportPage data={data} locale={c.var.locale ?? negotiateLocale(c.req.header('accept-language'))} />,
    )
  c.header('content-disposition', `attachment; filename="pendamping-${name}.json"`)
  return c.json(data)
}

/**
 * Each person's rights over their data (docs/contract/data-protection.md): a complete export as JSON
 * or a readable page, consent per purpose given or withdrawn one at a time, and a participant's
 * erasure (an owner's is `DELETE /v1/requests/{id}`).
 */
export function privacyRoutes(deps: RouteDependencies) {
  const clock = deps.clock ?? systemClock
  const { store } = deps
  return (
    new Hono<AppEnv>()
      // Each of the group's own paths (a wider `/v1/requests/*` would be a path the group does not serve).
      .use('/v1/requests/:id/export', ownerRoute())
      .use('/v1/requests/:id/consent', ownerRoute())
      .use('/v1/participants/:id/export', ownerRoute())
      .use('/v1/participants/:id/consent', ownerRoute())
      .use('/v1/participants/:id/data', ownerRoute())
      .use('/v1/me/export', ownerRoute())
      .use('/v1/me/data', ownerRoute())
      .get(
        '/v1/requests/:id/export',
        describeRoute({
          summary: 'Download everything held about you (owner)',
          description:
            'UU PDP rights of access and portability: the request and business profile, consent and its ' +
            'history, sessions with places and notes, feedback, engagements with progress notes, ' +
            'certificates and messages sent. JSON attachment, or a readable page with `?format=html`.',
          tags,
          security: owner,
          responses: { 200: json(Export, 'The data'), ...problems(400, 401, 403, 404) },
        }),
        validate('param', IdParam),
        validate('query', ExportQuery),
        async (c) => {
          const { id } = c.req.valid('param')
          return answerExport(c, await exportOwner(store, id, trackingTokenOf(c), clock.now()), id)
        },
      )
      .post(
        '/v1/requests/:id/consent',
        describeRoute({
          summary: 'Give or withdraw one purpose of your consent (owner)',
          description:
            'One purpose at a time: `matching_contact`, `reminders`, `program_reports`, ' +
            '`follow_on_invitations`. Giving needs `purposeVersion`, the privacy notice version shown, and ' +
            'it must be the one in force. Withdrawing `matching_contact` cancels an open request and ends a ' +
            'running engagement; withdrawing `reminders` stops reminders and check-ins at once.',
          tags,
          security: owner,
          responses: { 200: json(ConsentState, 'Your consent now'), ...problems(400, 401, 403, 404, 409) },
        }),
        validate('param', IdParam),
        formBody(ConsentInput),
        validate('json', ConsentInput),
        async (c) =>
          c.json(
            await changeRequestConsent(
              store,
              clock,
              c.req.valid('param').id,
              trackingTokenOf(c),
              c.req.valid('json'),
            ),
          ),
      )
      .get(
        '/v1/participants/:id/export',
        describeRoute({
          summary: 'Download everything held about you (class participant)',
          description:
            'Profile, consent and its history, registrations with attendance, certificates and messages ' +
            'sent. JSON attachment, or a readable page with `?format=html`.',
          tags,
          security: owner,
          responses: { 200: json(Export, 'The data'), ...problems(400, 404) },
        }),
        validate('param', IdParam),
        validate('query', ExportQuery),
        async (c) => {
          const { id } = c.req.valid('param')
          return answerExport(c, await exportParticipant(store, id, trackingTokenOf(c), clock.now()), id)
        },
      )
      .post(
        '/v1/participants/:id/consent',
        describeRoute({
          summary: 'Give or withdraw one purpose of your consent (class participant)',
          description: 'As for owners; reminders and invitations read the stored consent when they are sent.',
          tags,
          security: owner,
          responses: { 200: json(ConsentState, 'Your consent now'), ...problems(400, 404, 409) },
        }),
        validate('param', IdParam),
        formBody(ConsentInput),
        validate('json', ConsentInput),
        async (c) =>
          c.json(
            await changeParticipantConsent(
              store,
              clock,
              c.req.valid('param').id,
              trackingTokenOf(c),
              c.req.valid('json'),
            ),
          ),
      )
      .delete(
        '/v1/participants/:id/data',
        describeRoute({
          summary: 'Erase everything held about you (class participant)',
          description:
            'UU PDP right to erasure: your profile is deleted at once and your link stops working; places you ' +
            'hold are given back (the next in line gets a freed seat), registrations keep only anonymous ' +
            'facts, certificates are revoked and anonymised, records of messages deleted.',
          tags,
          security: owner,
          responses: { 204: { description: 'Erased' }, ...problems(400, 404) },
        }),
        validate('param', IdParam),
        async (c) => {
          const { id } = c.req.valid('param')
          const participant = await openParticipant(store, id, trackingTokenOf(c))
          await eraseParticipant(store, clock, participant, 'request')
          return c.body(null, 204)
        },
      )
      .get(
        '/v1/me/export',
        describeRoute({
          summary: 'Download everything held about you (mentor)',
          description:
            'Profile and consent, offers you were shown with your answers, engagements with progress notes, ' +
            'sessions with places and notes, ratings received, certificates and messages sent.',
          tags,
          security: mentor,
          responses: { 200: json(Export, 'The data'), ...problems(400, 401, 403, 404) },
        }),
        mentorOnly,
        validate('query', ExportQuery),
        async (c) => answerExport(c, await exportMentor(store, clock.now()), 'mentor'),
      )
      .delete(
        '/v1/me/data',
        describeRoute({
          summary: 'Erase everything held about you (mentor)',
          description:
            'UU PDP right to erasure, confirmed by `{"confirm": "erase"}`. At once: your profile and ' +
            'matching entries are deleted and your account stops working (every token and session). ' +
            'Then: your sign-in account is disabled, open offers withdrawn (the businesses matched again), ' +
            'each business you mentor handed to another mentor (its owner told, future sessions ' +
            'cancelled), your decline notes and owners’ comments about your sessions erased (ratings stay ' +
            'as anonymous counts), certificates revoked and anonymised, records of messages deleted. ' +
            'Sessions and progress notes you wrote stay as the business’s history.',
          tags,
          security: mentor,
          responses: { 204: { description: 'Erased' }, ...problems(400, 401, 403, 404, 409) },
        }),
        mentorOnly,
        formBody(MentorErasureInput),
        validate('json', MentorErasureInput),
        async (c) => {
          await eraseOwnMentorData(store, clock)
          return c.body(null, 204)
        },
      )
  )
}
