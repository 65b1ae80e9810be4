//go:build !race

package httpapi_test

// raceDetector is true under -race, which slows CPU-bound work such as
// bcrypt about twentyfold and makes its timing noisier.
const raceDetector = false
