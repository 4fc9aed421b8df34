/** The tracks a map selection sent to the Review page ("Review these"); null shows the whole queue. Kept across page changes. */
export const mapReview = $state({ trackIds: null as number[] | null });
