/** A problem with the input, before it is formatted as `field.path: rule`. */
export interface InputProblem {
  path: PropertyKey[];
  message: string;
}
