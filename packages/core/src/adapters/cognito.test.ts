import { describe, expect, it } from 'vitest'
import type { AccountInvitation } from '../account/index.ts'
import { cognitoAccountDirectory } from './cognito.ts'

const invitation: AccountInvitation = {
  email: 'sari.wulandari@example.id',
  name: 'Sari Wulandari',
  role: 'mentor',
  region: '35.73',
  mentorId: 'm-1',
}

interface Sent {
  url: string
  target: string | undefined
  authorization: string | undefined
  body: unknown
}

/** A stand-in for Cognito's endpoint: records what was sent and answers from a script. */
function cognito(answers: Array<{ status: number; body: object }>) {
  const sent: Sent[] = []
  const fake: typeof fetch = async (url, init) => {
    const headers = init?.headers as Record<string, string>
    sent.push({
      url: String(url),
      target: headers['x-amz-target'],
      authorization: headers.authorization,
      body: JSON.parse(String(init?.body)),
    })
    const answer = answers.shift()
    if (!answer) throw new Error('unexpected call')
    return new Response(JSON.stringify(answer.body), { status: answer.status })
  }
  const directory = cognitoAccountDirectory({
    userPoolId: 'ap-southeast-3_Pool1',
    region: 'ap-southeast-3',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    fetch: fake,
  })
  return { directory, sent }
}

describe('The Cognito account directory', () => {
  it('creates the mentor’s user with AdminCreateUser and answers the sub Cognito gave it', async () => {
    const { directory, sent } = cognito([
      {
        status: 200,
        body: {
          User: {
            Username: 'sari.wulandari@example.id',
            Attributes: [
              { Name: 'sub', Value: '7f1c-sub' },
              { Name: 'email', Value: 'sari.wulandari@example.id' },
            ],
            UserStatus: 'FORCE_CHANGE_PASSWORD',
          },
        },
      },
    ])
    expect(await directory.invite(invitation)).toEqual({ sub: '7f1c-sub' })
    expect(sent).toHaveLength(1)
    expect(sent[0]?.url).toBe('https://cognito-idp.ap-southeast-3.amazonaws.com/')
    expect(sent[0]?.target).toBe('AWSCognitoIdentityProviderService.AdminCreateUser')
    expect(sent[0]?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-southeast-3\/cognito-idp\/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$/,
    )
    expect(sent[0]?.body).toEqual({
      UserPoolId: 'ap-southeast-3_Pool1',
      Username: 'sari.wulandari@example.id',
      UserAttributes: [
        { Name: 'email', Value: 'sari.wulandari@example.id' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Sari Wulandari' },
        { Name: 'custom:role', Value: 'mentor' },
        { Name: 'custom:region', Value: '35.73' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    })
  })

  it('answers the existing user’s sub when an approval is retried after the user was made', async () => {
    const { directory, sent } = cognito([
      { status: 400, body: { __type: 'UsernameExistsException', message: 'User account already exists' } },
      {
        status: 200,
        body: {
          Username: 'sari.wulandari@example.id',
          UserAttributes: [
            { Name: 'sub', Value: '7f1c-sub' },
            { Name: 'custom:role', Value: 'mentor' },
          ],
        },
      },
    ])
    expect(await directory.invite(invitation)).toEqual({ sub: '7f1c-sub' })
    expect(sent.map((call) => call.target)).toEqual([
      'AWSCognitoIdentityProviderService.AdminCreateUser',
      'AWSCognitoIdentityProviderService.AdminGetUser',
    ])
    expect(sent[1]?.body).toEqual({
      UserPoolId: 'ap-southeast-3_Pool1',
      Username: 'sari.wulandari@example.id',
    })
  })

  it('refuses to reuse a staff account’s email for a mentor', async () => {
    const { directory } = cognito([
      { status: 400, body: { __type: 'UsernameExistsException', message: 'exists' } },
      {
        status: 200,
        body: {
          UserAttributes: [
            { Name: 'sub', Value: 's' },
            { Name: 'custom:role', Value: 'staff' },
          ],
        },
      },
    ])
    await expect(directory.invite(invitation)).rejects.toMatchObject({ code: 'account-exists', status: 409 })
  })

  it('passes other Cognito errors on, named by their type', async () => {
    const { directory } = cognito([
      { status: 400, body: { __type: 'com.amazonaws#InvalidParameterException', message: 'bad attribute' } },
    ])
    await expect(directory.invite(invitation)).rejects.toMatchObject({ name: 'InvalidParameterException' })
  })
})
