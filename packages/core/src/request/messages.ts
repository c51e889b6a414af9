import { hasMessage, registerMessages } from '../i18n/index.ts'

/** Problem messages of requests, registered where missing. */
const messages = {
  'problem.phone-has-request': {
    id: 'Nomor ini sudah punya permintaan di program ini',
    en: 'This phone already has a request in this program',
  },
  'problem.phone-has-request.detail': {
    id: 'Satu nomor HP hanya boleh punya satu permintaan yang berjalan per program. Buka tautan pelacakan yang Anda terima saat mengajukan (di halaman konfirmasi atau di WhatsApp Anda) untuk melihat atau membatalkan permintaan itu. Kalau tautannya hilang, hubungi petugas program.',
    en: 'A phone may hold one open request per program. Open the tracking link you got when you asked (on the confirmation page or in your WhatsApp) to see or cancel that request. If you lost the link, contact the program staff.',
  },
}
registerMessages(Object.fromEntries(Object.entries(messages).filter(([key]) => !hasMessage(key))))
