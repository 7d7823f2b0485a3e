#ifndef CUSTOS_CZLIB_SHIM_H
#define CUSTOS_CZLIB_SHIM_H
#include <zlib.h>
#endif
