// The team folder: the only thing devices share. See each module for its part.
export { isTemporaryName, TEMP_PREFIX, type FolderStore } from './folder-store';
export { localFolderStore } from './local-folder-store';
export { sftpFolderStore, type SftpFolderOptions, type SftpLike } from './sftp-folder-store';
export { formatTeamKey, generateTeamKey, keyId, parseTeamKey, subkey, TEAM_KEY_BYTES, type KeyPurpose } from './team-key';
export { open, openAsync, seal, sealAsync, SEALED_FORMAT_VERSION, type SealContext, type SealedKind } from './sealed-file';
export { COMPACTION_LEASE, deviceDir, DEVICES_DIR, headPath, isDeviceId, segmentPath, segmentSeq, snapshotName, snapshotPath, SNAPSHOTS_DIR, TEAM_FILE } from './layout';
export { initTeamFolder, openTeamFolder, TEAM_FOLDER_FORMAT, TEAM_FOLDER_VERSION, type Team } from './team-folder';
export {
  readSegmentsAfter,
  writeSegment,
  type Segment,
  type SegmentProblem,
  type SegmentProblemCode,
  type SegmentsAfter,
  type SyncMessage,
} from './segments';
export { readHeads, writeHead, type DeviceHead, type HeadProblemCode, type HeadRead } from './heads';
export { listSnapshots, readLatestSnapshot, readSnapshot, writeSnapshot, type LatestSnapshot, type Snapshot, type SnapshotProblemCode } from './snapshots';
export { readLease, releaseLease, takeLease, type Lease, type LeaseOptions } from './compaction-lease';
