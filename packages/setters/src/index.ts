export type { SettersErrorCode, SettersErrorDetails } from './errors.js';
export { SettersError } from './errors.js';
export type {
  Change,
  ChangedObject,
  FileChange,
  ImageRef,
  Marker,
  Policies,
  Problem,
  ProblemKind,
  SetterField,
  TextUpdate,
  TreeUpdate,
  UpdateTextOptions,
  UpdateTreeOptions,
} from './types.js';
export { findMarkers, updateText } from './update-text.js';
export { updateTree } from './update-tree.js';
