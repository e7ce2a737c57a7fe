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
	CMPQ CX, $6
	JEQ walk6
loop:
	MOVQ 8(AX), BX
	MOVQ BX, (DI)(R8*8)
	INCQ R8
	CMPQ R8, CX
	JGE done
	MOVQ 0(AX), R9
	CMPQ R9, AX
	JLS done
	MOVQ R9, AX
	JMP loop
walk6:
	// n == 6 (nPCs, every acquisition's and channel operation's walk),
	// unrolled: 5 instructions a frame instead of 10, the frame pointer
	// alternating between AX and R9.
	MOVQ 8(AX), BX
	MOVQ BX, 0(DI)
	MOVQ 0(AX), R9
	CMPQ R9, AX
	JLS one
	MOVQ 8(R9), BX
	MOVQ BX, 8(DI)
	MOVQ 0(R9), AX
	CMPQ AX, R9
	JLS two
	MOVQ 8(AX), BX
	MOVQ BX, 16(DI)
	MOVQ 0(AX), R9
	CMPQ R9, AX
	JLS three
	MOVQ 8(R9), BX
	MOVQ BX, 24(DI)
	MOVQ 0(R9), AX
	CMPQ AX, R9
	JLS four
	MOVQ 8(AX), BX
	MOVQ BX, 32(DI)
	MOVQ 0(AX), R9
	CMPQ R9, AX
	JLS five
	MOVQ 8(R9), BX
	MOVQ BX, 40(DI)
	MOVQ $6, R8
	JMP done
one:
	MOVQ $1, R8
	JMP done
two:
	MOVQ $2, R8
	JMP done
three:
	MOVQ $3, R8
	JMP done
four:
	MOVQ $4, R8
	JMP done
five:
	MOVQ $5, R8
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
