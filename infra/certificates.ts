/**
 * The keyring certificates are signed with (Ed25519 keys with their signing windows; see
 * `packages/core/src/certificate/signing.ts`), as an SST secret. Set it once per stage from
 * `npm run certificate:keys -- new`, rotate it with `… rotate` (the old key stays published so what it
 * signed keeps verifying). Only the API (status lists, the published keys) and the issuing consumer
 * are linked to it.
 */
export const certificateKeys = new sst.Secret('CertificateKeys')
