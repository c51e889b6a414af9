import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import type { AccountInvitation } from '../directory/index.ts'
import { cognitoAccountDirectory } from './cognito.ts'

const invitation: AccountInvitation = {
  email: 'sari.wulandari@example.id',
  name: 'Sari Wulandari',
  role: 'mentor',
  region: '35.73',
  mentorId: 'm-1',
}

const cognito = mockClient(CognitoIdentityProviderClient)
const directory = cognitoAccountDirectory({ userPoolId: 'ap-southeast-3_Pool1', region: 'ap-southeast-3' })

/** Every command sent, as its name and input, in order. */
const sent = () => cognito.calls().map((call) => [call.args[0].constructor.name, call.args[0].input])

afterEach(() => {
  cognito.reset()
})

describe('The Cognito account directory', () => {
  it('creates the mentor’s user with AdminCreateUser, Cognito’s own message suppressed, and answers its sub', async () => {
    cognito.on(AdminCreateUserCommand).resolves({
      User: {
        Username: '7f1c-sub',
        Attributes: [
          { Name: 'sub', Value: '7f1c-sub' },
          { Name: 'email', Value: 'sari.wulandari@example.id' },
        ],
        UserStatus: 'FORCE_CHANGE_PASSWORD',
      },
    })
    expect(await directory.invite(invitation)).toEqual({ sub: '7f1c-sub' })
    expect(sent()).toEqual([
      [
        'AdminCreateUserCommand',
        {
          UserPoolId: 'ap-southeast-3_Pool1',
          Username: 'sari.wulandari@example.id',
          UserAttributes: [
            { Name: 'email', Value: 'sari.wulandari@example.id' },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: 'Sari Wulandari' },
            { Name: 'custom:role', Value: 'mentor' },
            { Name: 'custom:region', Value: '35.73' },
          ],
          MessageAction: 'SUPPRESS',
        },
      ],
    ])
  })

  it('gives staff their region and an admin every region', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: 's-1' }] } })
    await directory.invite({ email: 'staf@bali.go.id', name: 'Staf Bali', role: 'staff', region: '51' })
    await directory.invite({ email: 'admin@kemenkop.go.id', name: 'Admin', role: 'admin', region: '35' })
    const regions = cognito
      .commandCalls(AdminCreateUserCommand)
      .map((call) => call.args[0].input.UserAttributes?.find((a) => a.Name === 'custom:region')?.Value)
    expect(regions).toEqual(['51', '*'])
  })

  it('answers the existing user’s sub when an approval is retried after the user was made', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }))
    cognito.on(AdminGetUserCommand).resolves({
      Username: '7f1c-sub',
      UserAttributes: [
        { Name: 'sub', Value: '7f1c-sub' },
        { Name: 'custom:role', Value: 'mentor' },
      ],
    })
    expect(await directory.invite(invitation)).toEqual({ sub: '7f1c-sub' })
    expect(sent().map(([name]) => name)).toEqual(['AdminCreateUserCommand', 'AdminGetUserCommand'])
    expect(cognito.commandCalls(AdminGetUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'ap-southeast-3_Pool1',
      Username: 'sari.wulandari@example.id',
    })
  })

  it('refuses to reuse a staff account’s email for a mentor', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }))
    cognito.on(AdminGetUserCommand).resolves({
      UserAttributes: [
        { Name: 'sub', Value: 's' },
        { Name: 'custom:role', Value: 'staff' },
      ],
    })
    await expect(directory.invite(invitation)).rejects.toMatchObject({ code: 'account-exists', status: 409 })
  })

  it('passes other Cognito errors on', async () => {
    const failure = Object.assign(new Error('bad attribute'), { name: 'InvalidParameterException' })
    cognito.on(AdminCreateUserCommand).rejects(failure)
    await expect(directory.invite(invitation)).rejects.toMatchObject({ name: 'InvalidParameterException' })
  })

  it('disables a suspended account, then signs it out everywhere (its refresh tokens revoked)', async () => {
    cognito.on(AdminDisableUserCommand).resolves({})
    cognito.on(AdminUserGlobalSignOutCommand).resolves({})
    await directory.disable('7f1c-sub')
    expect(sent()).toEqual([
      ['AdminDisableUserCommand', { UserPoolId: 'ap-southeast-3_Pool1', Username: '7f1c-sub' }],
      ['AdminUserGlobalSignOutCommand', { UserPoolId: 'ap-southeast-3_Pool1', Username: '7f1c-sub' }],
    ])
  })

  it('takes a user who no longer exists as already disabled', async () => {
    cognito
      .on(AdminDisableUserCommand)
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }))
    await expect(directory.disable('gone')).resolves.toBeUndefined()
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0)
  })

  it('enables a reinstated account again', async () => {
    cognito.on(AdminEnableUserCommand).resolves({})
    await directory.enable('7f1c-sub')
    expect(sent()).toEqual([
      ['AdminEnableUserCommand', { UserPoolId: 'ap-southeast-3_Pool1', Username: '7f1c-sub' }],
    ])
  })
})
