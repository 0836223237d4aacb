import { ApiProperty } from '@nestjs/swagger';
import type { audit } from '@homeward/contracts';

/** A C2SP tlog-checkpoint as audit signed it, with the cosignatures witnesses have added since. */
export class CheckpointView {
  @ApiProperty({ description: 'Leaves in the tree' }) treeSize!: number;
  @ApiProperty({ description: 'base64 RFC 9162 root hash' }) rootHash!: string;
  @ApiProperty({
    description: "The signed note: origin, size and root, a blank line, the log's signature line, then each cosignature line",
  })
  note!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ type: [String], description: 'The witnesses (key names) that cosigned it, in the order their cosignatures came' })
  cosigners!: string[];
}

export class CheckpointsPage {
  @ApiProperty({ type: [CheckpointView], description: 'Newest first' }) items!: CheckpointView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last one' })
  nextCursor!: string | null;
}

export class InclusionProofView {
  @ApiProperty() leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'base64 SHA-256(0x00 || leaf bytes)' }) leafHash!: string;
  @ApiProperty({ type: [String], description: 'base64 hashes, RFC 9162 §2.1.3.1, the leaf’s sibling first' }) path!: string[];
}

export class ConsistencyProofView {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @ApiProperty({ type: [String], description: 'base64 hashes, RFC 9162 §2.1.4.1' }) path!: string[];
}

export class LeafView {
  @ApiProperty() index!: number;
  @ApiProperty({
    description: "The leaf's bytes as text: the entry's RFC 8785 canonical JSON, personal fields sealed as the producer stored them",
  })
  leaf!: string;
  @ApiProperty({ type: [String], description: 'Its inclusion proof in the tree of treeSize leaves, base64' }) path!: string[];
}

export class LeavesPage {
  @ApiProperty({ description: 'The checkpointed size every proof of the page is for' }) treeSize!: number;
  @ApiProperty({ type: [LeafView], description: 'In index order' }) items!: LeafView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class BundleManifestView {
  @ApiProperty() treeSize!: number;
  @ApiProperty({ example: 'person 01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70', description: '"person <id>", "stream <id>" or "all"' })
  selection!: string;
  @ApiProperty({ description: 'How many leaves the selection holds at treeSize' }) leaves!: number;
  @ApiProperty({ description: 'base64 SHA-256 of the leaf hashes, in index order' }) digest!: string;
  @ApiProperty({ description: "The manifest as a note signed with the log's key" }) note!: string;
}

export const checkpointView = (checkpoint: audit.SignedCheckpoint): CheckpointView => ({
  treeSize: checkpoint.treeSize,
  rootHash: checkpoint.rootHash,
  note: checkpoint.note,
  issuedAt: checkpoint.issuedAt,
  cosigners: checkpoint.cosigners ?? [],
});

export const leavesPage = (page: audit.ListLeavesResponse): LeavesPage => ({
  treeSize: page.treeSize,
  items: (page.items ?? []).map((item) => ({ index: item.index, leaf: item.bytes, path: item.path ?? [] })),
  nextCursor: page.nextCursor || null,
});

export const bundleManifestView = (manifest: audit.BundleManifest): BundleManifestView => ({
  treeSize: manifest.treeSize,
  selection: manifest.selection,
  leaves: manifest.leaves,
  digest: manifest.digest,
  note: manifest.note,
});
