import { hasMessage, registerMessages } from '../i18n/index.ts'

/** Problem and field messages of certificates (registered only where missing). */
const messages = {
  'problem.certificate-revoked': { id: 'Sertifikat sudah dicabut', en: 'The certificate is already revoked' },
  'problem.certificate-revoked.detail': {
    id: 'Sertifikat ini sudah dicabut sebelumnya; pencabutan tidak bisa diulang.',
    en: 'This certificate was revoked before; it cannot be revoked again.',
  },
}
registerMessages(Object.fromEntries(Object.entries(messages).filter(([key]) => !hasMessage(key))))
