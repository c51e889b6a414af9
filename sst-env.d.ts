/* What `sst` generates for the resources linked in `infra/`; kept by hand because `sst install` cannot run offline. */
import 'sst/resource'

declare module 'sst/resource' {
  export interface Resource {
    Table: { name: string; type: 'sst.aws.Dynamo' }
    Bus: { arn: string; name: string; type: 'sst.aws.Bus' }
    Email: { configSet: string; sender: string; type: 'sst.aws.Email' }
    UserPool: { id: string; type: 'sst.aws.CognitoUserPool' }
    UserPoolClient: { id: string; secret: string; type: 'sst.aws.CognitoUserPoolClient' }
    CertificateKeys: { value: string; type: 'sst.sst.Secret' }
    MessageLinkSecret: { value: string; type: 'sst.sst.Secret' }
  }
}
