import {
  achievementTitle,
  type CertificateView,
  dateLabel,
  hoursLabel,
  kindHeading,
  kindLine,
  label,
  periodLabel,
  reasonLabel,
} from '@pendamping/core/certificate'
import type { Locale } from '@pendamping/core/i18n'
import { Layout, translator } from './layout.tsx'

/**
 * The public verification page a certificate's QR code opens: valid or revoked (with the date and the
 * reason category), and exactly what the certificate itself shows — nothing more.
 */
export function VerificationPage({
  certificate,
  locale,
  other,
}: {
  certificate: CertificateView
  locale: Locale
  other: string
}) {
  const tr = translator(locale)
  const heading = kindHeading(certificate.kind, locale)
  const valid = certificate.status === 'valid'
  const title = `${heading} ${certificate.number}`
  const rows: Array<[string, string]> = [
    [label('awardedTo', locale), certificate.name],
    ...(certificate.business ? [[label('business', locale), certificate.business] as [string, string]] : []),
    [kindLine(certificate.kind, locale), achievementTitle(certificate, locale)],
    [label('hours', locale), hoursLabel(certificate.minutes, locale)],
    [
      label('period', locale),
      periodLabel(certificate.startedAt, certificate.endedAt, certificate.timeZone, locale),
    ],
    ...(certificate.programName
      ? [[label('program', locale), certificate.programName] as [string, string]]
      : []),
    [label('region', locale), certificate.regionName],
    [label('issuedBy', locale), certificate.office],
    [label('number', locale), certificate.number],
    [label('issuedOn', locale), dateLabel(certificate.issuedAt, certificate.timeZone, locale)],
  ]
  return (
    <Layout locale={locale} title={title} other={other}>
      <h1>{heading}</h1>
      {valid ? (
        <p class="ok" role="status">
          <strong>{label('valid', locale)}</strong>
          {tr(
            ': sertifikat ini diterbitkan lewat Pendamping dan tidak dicabut.',
            ': this certificate was issued through Pendamping and has not been revoked.',
          )}
        </p>
      ) : (
        <div class="summary" role="alert">
          <h2>{label('revoked', locale)}</h2>
          <p>
            {label('revokedOn', locale)}{' '}
            {certificate.revokedAt ? dateLabel(certificate.revokedAt, certificate.timeZone, locale) : ''}
            {certificate.revocationReason
              ? ` · ${label('reason', locale)}: ${reasonLabel(certificate.revocationReason, locale)}`
              : ''}
          </p>
        </div>
      )}
      <dl>
        {rows.map(([name, value]) => (
          <>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </>
        ))}
      </dl>
      <p>
        <a class="btn" href={certificate.links.pdf}>
          {tr('Unduh PDF', 'Download PDF')}
        </a>
        <a class="btn alt" href={certificate.links.credential}>
          {tr('Kredensial Open Badges', 'Open Badges credential')}
        </a>
        <a class="btn alt" href={certificate.links.badge}>
          {tr('Lencana (PNG)', 'Badge (PNG)')}
        </a>
      </p>
      <p class="hint">
        {label('openBadge', locale)}{' '}
        {tr(
          'Aplikasi pemeriksa Open Badges mana pun dapat memeriksanya dengan kunci publik di ',
          'Any Open Badges verifier can check it with the public keys at ',
        )}
        <a href="/.well-known/openbadges-keys.json">/.well-known/openbadges-keys.json</a>.
      </p>
    </Layout>
  )
}

/** The page for an id no certificate has (404). */
export function UnknownCertificatePage({ locale }: { locale: Locale }) {
  const tr = translator(locale)
  const title = tr('Sertifikat tidak ditemukan', 'Certificate not found')
  return (
    <Layout locale={locale} title={title}>
      <h1>{title}</h1>
      <p>
        {tr(
          'Tidak ada sertifikat dengan tautan ini. Periksa lagi tautan atau kode QR-nya.',
          'No certificate has this link. Check the link or the QR code again.',
        )}
      </p>
    </Layout>
  )
}

/**
 * A holder's certificates with their downloads: the section a private page (an owner's tracking page,
 * a participant's page) shows once something was issued. Renders nothing when the list is empty.
 */
export function CertificateSection({
  certificates,
  locale,
}: {
  certificates: readonly CertificateView[]
  locale: Locale
}) {
  if (certificates.length === 0) return null
  const tr = translator(locale)
  return (
    <section>
      <h2>{tr('Sertifikat', 'Certificates')}</h2>
      <ul class="plain">
        {certificates.map((certificate) => (
          <li>
            <strong>{kindHeading(certificate.kind, locale)}</strong>: {achievementTitle(certificate, locale)}{' '}
            ({hoursLabel(certificate.minutes, locale)})
            {certificate.status === 'revoked' ? ` — ${label('revoked', locale)}` : ''}
            <br />
            <a href={certificate.links.pdf}>{tr('Unduh PDF', 'Download PDF')}</a>
            {' · '}
            <a href={certificate.links.page}>{tr('Halaman verifikasi', 'Verification page')}</a>
            {' · '}
            <a href={certificate.links.badge}>{tr('Lencana', 'Badge')}</a>
          </li>
        ))}
      </ul>
    </section>
  )
}
