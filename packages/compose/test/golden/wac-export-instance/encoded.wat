(component
  (component (;0;) ...)
  (instance (;0;) (instantiate 0))
  (export (;1;) "t:math/arith@0.1.0" (instance 0))
  (@custom "wasm-compose:provenance" "{\22parts\22:[{\22name\22:\22t:flat\22,\22version\22:null,\22sha256\22:\22<sha256>\22,\22source\22:null,\22mode\22:\22embedded\22}]}")
)
