/**
 * What differs between stages. Production serves from the product's domain; every other stage
 * (`dev`, a person's, a pull request's) from `<stage>.<domain>`, so stages never share an origin,
 * a mail identity or a sending reputation.
 */
export const domain = 'pendamping.id'

export const isProduction = $app.stage === 'production'

export const stageDomain = isProduction ? domain : `${$app.stage}.${domain}`

/** The web app people open; tracking links point here. */
export const publicUrl = `https://${stageDomain}`

/** Browser origins allowed to call the API; `sst dev` adds the local web server. */
export const webOrigins = [publicUrl, ...($dev ? ['http://localhost:3000'] : [])]
