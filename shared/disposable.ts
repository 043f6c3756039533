/** Something that holds a resource (a listener, a subscription) until disposed. The one definition for every bundle. */
export interface Disposable {
  dispose(): void;
}
