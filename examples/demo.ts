// placeholder, replaced by the full demo
console.log('demo');
