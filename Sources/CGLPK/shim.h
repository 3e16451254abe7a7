// GLPK, the GNU Linear Programming Kit (Debian package libglpk-dev), used by disclosure control
// and the publication audit to bound suppressed counts by linear programming.
#include <glpk.h>
