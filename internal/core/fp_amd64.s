#include "textflag.h"

// func fpWalk(pcs *uintptr, n int, skip int) int
TEXT ·fpWalk(SB),NOSPLIT,$0-32
	MOVQ pcs+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ skip+16(FP), DX
	MOVQ BP, AX
	XORQ R8, R8
loop:
	TESTQ AX, AX
	JZ done
	CMPQ R8, CX
	JGE done
	MOVQ 8(AX), BX
	MOVQ 0(AX), R9
	TESTQ DX, DX
	JZ store
	DECQ DX
	JMP next
store:
	MOVQ BX, (DI)(R8*8)
	INCQ R8
next:
	// Frames of callers live at higher addresses; anything else ends the walk.
	CMPQ R9, AX
	JLS done
	MOVQ R9, AX
	JMP loop
done:
	MOVQ R8, ret+24(FP)
	RET
