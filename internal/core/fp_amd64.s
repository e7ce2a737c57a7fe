#include "textflag.h"

// func fpWalk(pcs *uintptr, n int, skip int) (int, unsafe.Pointer)
//
// Skips skip frames, then stores the return addresses of up to n frames;
// returns how many, and the calling goroutine's runtime g. Frames of
// callers live at higher addresses: a saved frame pointer that is not
// above the frame it was saved in (0 at the goroutine's first frame) ends
// the walk.
TEXT ·fpWalk(SB),NOSPLIT,$0-40
	MOVQ pcs+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ skip+16(FP), DX
	MOVQ BP, AX
	XORQ R8, R8
	TESTQ CX, CX
	JLE done
	TESTQ AX, AX
	JZ done
	TESTQ DX, DX
	JLE walk
skip:
	MOVQ 0(AX), R9
	CMPQ R9, AX
	JLS done
	MOVQ R9, AX
	DECQ DX
	JNZ skip
walk:
	MOVQ 8(AX), BX
	MOVQ BX, (DI)(R8*8)
	INCQ R8
	CMPQ R8, CX
	JGE done
	MOVQ 0(AX), R9
	CMPQ R9, AX
	JLS done
	MOVQ R9, AX
	JMP walk
done:
	MOVQ R8, ret+24(FP)
	MOVQ (TLS), AX
	MOVQ AX, ret1+32(FP)
	RET

// func procYield(cycles uint32)
//
// runtime.procyield's loop: PAUSE, cycles times.
TEXT ·procYield(SB),NOSPLIT,$0-4
	MOVL cycles+0(FP), AX
	TESTL AX, AX
	JZ yielded
again:
	PAUSE
	SUBL $1, AX
	JNZ again
yielded:
	RET
