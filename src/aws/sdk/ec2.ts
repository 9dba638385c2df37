// The part of @aws-sdk/client-ec2 cd-wizard calls (see ../clients.ts for why it is not the whole package).
export {
  EC2Client,
  AssociateIamInstanceProfileCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DisassociateIamInstanceProfileCommand,
  ReplaceIamInstanceProfileAssociationCommand,
} from '@aws-sdk/client-ec2';
// Its types all stay available; only the values above are bundled.
export type * from '@aws-sdk/client-ec2';
