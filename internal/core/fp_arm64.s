#include "textflag.h"

// func fpWalk(pcs *uintptr, n int, skip int) (int, unsafe.Pointer)
TEXT ·fpWalk(SB),NOSPLIT,$0-40
	MOVD pcs+0(FP), R0
	MOVD n+8(FP), R1
	MOVD skip+16(FP), R2
	MOVD R29, R3
	MOVD $0, R4
loop:
	CBZ R3, done
	CMP R1, R4
	BGE done
	MOVD 8(R3), R5
	MOVD 0(R3), R6
	CBZ R2, store
	SUB $1, R2
	B next
store:
	MOVD R5, (R0)(R4<<3)
	ADD $1, R4
next:
	CMP R3, R6
	BLS done
	MOVD R6, R3
	B loop
done:
	MOVD R4, ret+24(FP)
	MOVD g, ret1+32(FP)
	RET

// func procYield(cycles uint32)
//
// runtime.procyield's loop: YIELD, cycles times.
TEXT ·procYield(SB),NOSPLIT,$0-4
	MOVWU cycles+0(FP), R0
	CBZ R0, yielded
again:
	YIELD
	SUBW $1, R0
	CBNZ R0, again
yielded:
	RET
