/** One cell write, as the engine applies it and the folder carries it (Actual's message). */
export interface SyncMessage {
  timestamp: string;
  dataset: string;
  row: string;
  column: string;
  value: string;
}
