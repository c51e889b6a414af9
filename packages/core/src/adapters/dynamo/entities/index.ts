/**
 * Every entity of the table, for the tools that read or seed items directly: benchmarks' floors,
 * seeds, and tests that inspect or damage stored state. Product code reaches entities through its
 * own domain module, never through this barrel, so no route loads them all.
 */
export * from './certificate.ts'
export * from './class.ts'
export * from './cohort-plan.ts'
export * from './contact.ts'
export * from './engagement.ts'
export * from './feedback.ts'
export * from './follow-up.ts'
export * from './idempotency.ts'
export * from './mentor.ts'
export { MentorLoad as MentorLoadCounter } from './mentor-load.ts'
export * from './offer.ts'
export * from './outbox.ts'
export * from './processed.ts'
export * from './program.ts'
export * from './program-phone.ts'
export * from './rate-limit.ts'
export * from './report-month.ts'
export * from './request.ts'
export * from './sent-message.ts'
export * from './session.ts'
export * from './sweep-watermark.ts'
export * from './topic.ts'
