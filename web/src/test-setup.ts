import '@testing-library/jest-dom/vitest'
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

// jsdom has no canvas: report "no 2D context" quietly, as a browser without canvas would.
HTMLCanvasElement.prototype.getContext = () => null

afterEach(() => {
  cleanup()
  localStorage.clear()
  sessionStorage.clear()
})
