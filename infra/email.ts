import { isProduction, stageDomain } from './stage.ts'

/**
 * SES, sending from the stage's own domain: `pendamping.id` in production, `<stage>.pendamping.id`
 * elsewhere. SST verifies a domain sender by adding its DKIM records to the Route 53 zone of
 * `pendamping.id`, so no stage waits on someone clicking a verification email.
 */
export const email = new sst.aws.Email('Email', {
  sender: stageDomain,
  dmarc: isProduction ? 'v=DMARC1; p=quarantine; adkim=s; aspf=s;' : 'v=DMARC1; p=none;',
})
