// Kept by hand in step with package.json; a test checks that they agree.
export const VERSION = '0.1.0'
